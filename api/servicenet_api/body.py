"""The one bounded reader of request bodies: every route that reads a body reads it here, so every
oversize body is the same ``413 PAYLOAD_TOO_LARGE``."""

from __future__ import annotations

from fastapi import Request

from servicenet_vocab.errors import Location, PayloadTooLargeError

__all__ = ["read_body"]


async def read_body(request: Request, limit: int, *, source: str = "body") -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes (a declared Content-Length
    is checked before anything is read, a chunked body chunk by chunk)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, source, int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit, source)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int, source: str, size: int | None = None) -> PayloadTooLargeError:
    what = f"is {size:,} bytes" if size is not None else "is larger"
    return PayloadTooLargeError(
        f"the request body {what}; the limit is {limit:,} bytes", location=Location(source=source)
    )
