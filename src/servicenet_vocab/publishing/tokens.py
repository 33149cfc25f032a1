"""Write tokens: who may change which municipality graph.

The token file (``Settings.tokens_file`` / ``$SERVICENET_TOKENS_FILE``) is JSON that never holds a
token in clear::

    {"tokens": [{"name": "espoo-integration", "id": "3f9c0a1b2d4e5f60",
                 "municipalities": ["049"], "created": "2026-01-31T10:00:00+00:00",
                 "salt": "<hex>", "hash": "<hex scrypt of the secret>"}]}

A token reads ``snt_<id>.<secret>``: the id finds its record (so a request costs one key derivation,
not one per token) and the secret is checked against the salted scrypt hash with
``hmac.compare_digest``. The file is rewritten atomically (temporary file, fsync, rename) under an
exclusive lock, so concurrent ``servicenet token`` commands and a running server never see half a file.
The server reads the file on each write request: a revoked token stops working at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from servicenet_vocab.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    InputError,
    Location,
    NotFoundError,
)
from servicenet_vocab.namespaces import municipality_graph, municipality_of_graph

__all__ = ["TokenFile", "TokenRecord", "hash_secret"]

PREFIX = "snt_"
# scrypt cost: ~16 MiB and a few tens of milliseconds per check; the secrets are random, so this
# only slows down someone who stole the file.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class TokenRecord:
    """One token as stored: a name people recognise, what it may write, and its salted hash."""

    name: str
    id: str
    municipalities: tuple[str, ...]
    created: str
    salt: str
    hash: str

    def grants(self, graph: str) -> bool:
        """Whether this token may write ``graph`` (only its municipalities' graphs)."""
        code = municipality_of_graph(graph)
        return code is not None and code in self.municipalities

    def public(self) -> dict[str, object]:
        """What ``token list`` shows: everything except the salt and hash."""
        return {
            "name": self.name,
            "municipalities": list(self.municipalities),
            "created": self.created,
        }


def hash_secret(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT).hex()


class TokenFile:
    """The token file: create, list, revoke and check tokens."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def records(self) -> list[TokenRecord]:
        """Every stored token; a missing file holds none."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise InputError(
                f"cannot read the token file: {error.strerror}",
                location=Location(source=str(self.path)),
            ) from None
        try:
            items = json.loads(text)["tokens"]
            return [_record(item) for item in items]
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(
                f"the token file is not a valid token list: {error}",
                location=Location(source=str(self.path)),
            ) from None

    def create(self, name: str, municipalities: list[str]) -> str:
        """Add a token and return it; this is the only time it exists in clear."""
        if not name.strip():
            raise InputError("a token needs a name")
        if not municipalities:
            raise InputError("a token must grant at least one municipality")
        for code in municipalities:
            try:
                municipality_graph(code)
            except ValueError as error:
                raise InputError(str(error)) from None
        secret = secrets.token_urlsafe(32)
        token_id = secrets.token_hex(8)
        salt = secrets.token_bytes(16)
        record = TokenRecord(
            name=name,
            id=token_id,
            municipalities=tuple(sorted(set(municipalities))),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            salt=salt.hex(),
            hash=hash_secret(secret, salt),
        )
        with self._locked():
            current = self.records()
            if any(r.name == name for r in current):
                raise InputError(f"a token named {name!r} exists; revoke it first")
            self._write([*current, record])
        return f"{PREFIX}{token_id}.{secret}"

    def revoke(self, name: str) -> TokenRecord:
        with self._locked():
            current = self.records()
            found = [r for r in current if r.name == name]
            if not found:
                raise NotFoundError(
                    f"no token named {name!r}", location=Location(source=str(self.path))
                )
            self._write([r for r in current if r.name != name])
        return found[0]

    def authenticate(self, token: str | None) -> TokenRecord:
        """The record of a valid token; ``AuthenticationRequiredError`` for none or a bad one."""
        if not token:
            raise AuthenticationRequiredError("a write needs 'Authorization: Bearer <token>'")
        token_id, _, secret = token.removeprefix(PREFIX).partition(".")
        for record in self.records():
            if hmac.compare_digest(record.id, token_id):
                expected = hash_secret(secret, bytes.fromhex(record.salt))
                if hmac.compare_digest(expected, record.hash):
                    return record
        raise AuthenticationRequiredError("the token is not valid (unknown or revoked)")

    def authorize(self, token: str | None, graph: str) -> TokenRecord:
        """The token's record when it may write ``graph``; 401-type or 403-type errors otherwise."""
        record = self.authenticate(token)
        if not record.grants(graph):
            raise AccessDeniedError(
                f"token {record.name!r} may write municipalities "
                f"{', '.join(record.municipalities)}, not <{graph}>"
            )
        return record

    # --- file handling --------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on a sidecar file, so read-modify-write cycles never interleave."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, records: list[TokenRecord]) -> None:
        body = {"tokens": [_as_json(r) for r in records]}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(body, out, indent=2)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _record(item: dict[str, object]) -> TokenRecord:
    municipalities = item["municipalities"]
    if not isinstance(municipalities, list):
        raise TypeError("municipalities must be a list")
    return TokenRecord(
        name=str(item["name"]),
        id=str(item["id"]),
        municipalities=tuple(str(code) for code in municipalities),
        created=str(item["created"]),
        salt=str(item["salt"]),
        hash=str(item["hash"]),
    )


def _as_json(record: TokenRecord) -> dict[str, object]:
    body = asdict(record)
    body["municipalities"] = list(record.municipalities)
    return body
