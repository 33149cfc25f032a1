"""What a worker and its parent say to each other over their pipe.

Each message is one tag byte and a body: ``DATA`` (a chunk of the job's output, for the caller's
sink), ``RESULT`` (the pickled result) or ``ERROR`` (a pickled ``ServicenetError``). The parent
reads whole messages with ``Connection.recv_bytes`` or, on the event loop, without blocking through
``Frames``, which undoes ``multiprocessing``'s length framing.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO, Any

from servicenet_vocab.errors import ServicenetError

__all__ = ["CHUNK", "ChunkWriter", "Frames", "take", "unwrap"]

CHUNK = 64 * 1024
DATA, RESULT, ERROR = b"D", b"R", b"E"


class ChunkWriter:
    """A binary writer that sends what it is given to the parent in chunks of ``CHUNK`` bytes."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._conn.send_bytes(DATA + bytes(self._buffer))
            self._buffer.clear()


@dataclass(frozen=True)
class Failed:
    """A job's ``ServicenetError``, carried to the caller to be raised there."""

    error: ServicenetError


def unwrap(outcome: Any) -> Any:
    if isinstance(outcome, Failed):
        raise outcome.error
    return outcome


def take(message: bytes, sink: IO[bytes] | None) -> tuple[bool, Any]:
    """One message from a worker: (False, None) for a chunk, which goes to ``sink``; (True,
    outcome) at the end, the outcome being the result or the job's error (see ``unwrap``)."""
    tag, body = message[:1], message[1:]
    if tag == DATA:
        if sink is not None:
            sink.write(body)
        return False, None
    outcome = pickle.loads(body)
    return True, Failed(outcome) if tag == ERROR else outcome


class Frames:
    """``multiprocessing.Connection`` framing, read without blocking: a signed 4-byte big-endian
    length (-1 announces an 8-byte length instead), then that many bytes."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        buffer = self._buffer
        buffer += data
        messages = []
        while len(buffer) >= 4:
            (size,) = struct.unpack_from("!i", buffer)
            start = 4
            if size == -1:
                if len(buffer) < 12:
                    break
                (size,) = struct.unpack_from("!Q", buffer, 4)
                start = 12
            if len(buffer) < start + size:
                break
            messages.append(bytes(buffer[start : start + size]))
            del buffer[: start + size]
        return messages
