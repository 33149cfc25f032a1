"""HTTP facade of servicenet-vocab: the SPARQL 1.1 Protocol, the Graph Store, validation, named
planning queries, the vocabulary and a web page, composed by ``create_app(settings)``.

    from servicenet_api import create_app
    from servicenet_vocab import Settings

    app = create_app(Settings(store="memory"))   # serve with: uvicorn, or `servicenet serve`
"""

from servicenet_api.app import create_app

__all__ = ["create_app"]
