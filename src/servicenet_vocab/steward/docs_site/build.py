"""Write the static reference: one set of pages per language (fi/, sv/, en/) so the language switch
is a plain link and works without JavaScript, from the file system, with relative links only."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

from servicenet_vocab.quality.sources import Sources, load_sources
from servicenet_vocab.quality.vocab import short
from servicenet_vocab.steward.docs_site.diagram import render_svg
from servicenet_vocab.steward.docs_site.model import LANGUAGES, SiteModel, Texts, build_model

UI: dict[str, dict[str, str]] = {
    "fi": {
        "index": "Hakemisto", "classes": "Luokat", "codelists": "Koodistot", "diagram": "Luokkakaavio",
        "labels": "Nimet", "definition": "Määritelmä", "superclasses": "Yläluokat",
        "subclasses": "Alaluokat", "properties": "Ominaisuudet", "property": "Ominaisuus",
        "kind": "Laji", "range": "Arvojoukko", "source": "Lähde", "cardinality": "Lukumäärä",
        "shapes": "SHACL-muodot", "constraints": "Rajoitteet", "message": "Viesti", "path": "Polku",
        "examples": "Esimerkkejä", "concepts": "Käsitteet", "notation": "Koodi", "broader": "Laajempi",
        "language": "Kieli", "none": "—", "severity": "Vakavuus", "domain": "määrittelyjoukko",
        "inherited": "peritty", "shape": "muoto",
    },
    "sv": {
        "index": "Register", "classes": "Klasser", "codelists": "Kodlistor", "diagram": "Klassdiagram",
        "labels": "Namn", "definition": "Definition", "superclasses": "Överklasser",
        "subclasses": "Underklasser", "properties": "Egenskaper", "property": "Egenskap",
        "kind": "Typ", "range": "Värdemängd", "source": "Källa", "cardinality": "Antal",
        "shapes": "SHACL-former", "constraints": "Villkor", "message": "Meddelande", "path": "Väg",
        "examples": "Exempel", "concepts": "Begrepp", "notation": "Kod", "broader": "Bredare",
        "language": "Språk", "none": "—", "severity": "Allvarlighet", "domain": "domän",
        "inherited": "ärvd", "shape": "form",
    },
    "en": {
        "index": "Index", "classes": "Classes", "codelists": "Code lists", "diagram": "Class diagram",
        "labels": "Labels", "definition": "Definition", "superclasses": "Superclasses",
        "subclasses": "Subclasses", "properties": "Properties", "property": "Property",
        "kind": "Kind", "range": "Range", "source": "Source", "cardinality": "Cardinality",
        "shapes": "SHACL shapes", "constraints": "Constraints", "message": "Message", "path": "Path",
        "examples": "Examples", "concepts": "Concepts", "notation": "Notation", "broader": "Broader",
        "language": "Language", "none": "—", "severity": "Severity", "domain": "domain",
        "inherited": "inherited", "shape": "shape",
    },
}  # fmt: skip
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


def pick(values: Texts, lang: str, fallback: str = "") -> str:
    """The text in ``lang``, else English, else any, else ``fallback``."""
    for key in (lang, "en", ""):
        if values.get(key):
            return values[key]
    return next(iter(values.values()), fallback)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("servicenet_vocab.steward.docs_site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["short"] = short
    env.globals["pick"] = pick
    return env


def build_site(
    out: Path, *, root: Path | None = None, sources: Sources | None = None
) -> list[Path]:
    """Generate the site into ``out`` (replaced); returns the pages written."""
    model = build_model(sources or load_sources(root))
    if out.exists():
        shutil.rmtree(out)
    env = _environment()
    written = [
        _write(
            out / "style.css",
            (Path(__file__).parent / "templates" / "style.css").read_text("utf-8"),
        )
    ]
    written.append(
        _write(
            out / "index.html",
            env.get_template("root.html").render(model=model, names=LANGUAGE_NAMES),
        )
    )
    for lang in LANGUAGES:
        written += _language(env, model, out, lang)
    return written


def _language(env: jinja2.Environment, model: SiteModel, out: Path, lang: str) -> list[Path]:
    def href(iri: str, depth: int) -> str | None:
        up = "../" * depth
        for info in model.classes:
            if info.iri == iri:
                return f"{up}class/{info.name}.html"
        for codelist in model.codelists:
            if codelist.iri == iri:
                return f"{up}codelist/{codelist.name}.html"
        return None

    def label(iri: str) -> str:
        return pick(model.labels.get(iri, {}), lang, short(iri))

    common = {
        "model": model,
        "lang": lang,
        "ui": UI[lang],
        "languages": LANGUAGES,
        "names": LANGUAGE_NAMES,
        "label": label,
    }
    written = []
    index = env.get_template("index.html").render(
        page="index.html", depth=0, href=lambda i: href(i, 0), **common
    )
    written.append(_write(out / lang / "index.html", index))
    svg = _diagram(model, lang, label)
    written.append(_write(out / lang / "diagram.svg", svg))
    page = env.get_template("diagram.html").render(
        page="diagram.html", depth=0, svg=svg, href=lambda i: href(i, 0), **common
    )
    written.append(_write(out / lang / "diagram.html", page))
    for info in model.classes:
        page = env.get_template("class.html").render(
            page=f"class/{info.name}.html", depth=1, item=info, href=lambda i: href(i, 1), **common
        )
        written.append(_write(out / lang / "class" / f"{info.name}.html", page))
    for codelist in model.codelists:
        page = env.get_template("codelist.html").render(
            page=f"codelist/{codelist.name}.html",
            depth=1,
            item=codelist,
            href=lambda i: href(i, 1),
            **common,
        )
        written.append(_write(out / lang / "codelist" / f"{codelist.name}.html", page))
    return written


def _diagram(model: SiteModel, lang: str, label: object) -> str:
    classes = {c.iri: (pick(c.labels, lang, c.name), f"class/{c.name}.html") for c in model.classes}
    parents = {c.iri: c.superclasses for c in model.classes}
    links = [(label(p), d, r) for p, d, r in model.object_properties]  # type: ignore[operator]
    return render_svg(classes, parents, links, UI[lang]["diagram"])


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path
