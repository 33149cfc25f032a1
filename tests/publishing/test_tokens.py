"""Write tokens: hashed at rest, scoped to municipalities, revocable, file rewritten atomically."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest

from servicenet_vocab.cli import main
from servicenet_vocab.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    InputError,
    NotFoundError,
)
from servicenet_vocab.namespaces import SYSTEM_GRAPH, municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile

HELSINKI, ESPOO = municipality_graph("091"), municipality_graph("049")


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFile:
    return TokenFile(tmp_path / "conf" / "tokens.json")


def test_token_is_stored_only_as_a_salted_hash(tokens: TokenFile) -> None:
    token = tokens.create("helsinki-ci", ["091"])
    text = tokens.path.read_text()
    secret = token.split(".", 1)[1]
    assert secret not in text and token not in text
    [stored] = json.loads(text)["tokens"]
    assert set(stored) == {"name", "id", "municipalities", "created", "salt", "hash"}
    assert stored["municipalities"] == ["091"]
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_two_tokens_never_share_a_salt_or_hash(tokens: TokenFile) -> None:
    tokens.create("a", ["091"])
    tokens.create("b", ["091"])
    first, second = tokens.records()
    assert first.salt != second.salt and first.hash != second.hash


def test_authorize_grants_only_the_token_municipalities(tokens: TokenFile) -> None:
    token = tokens.create("espoo", ["049"])
    assert tokens.authorize(token, ESPOO).name == "espoo"
    with pytest.raises(AccessDeniedError) as denied:
        tokens.authorize(token, HELSINKI)
    assert not isinstance(denied.value, AuthenticationRequiredError)
    assert "049" in denied.value.message
    with pytest.raises(AccessDeniedError):
        tokens.authorize(token, SYSTEM_GRAPH)


@pytest.mark.parametrize(
    "presented",
    [None, "", "snt_nothing", "snt_0000000000000000.secret", "garbage"],
    ids=["none", "empty", "no-secret", "unknown-id", "no-prefix"],
)
def test_missing_or_unknown_tokens_need_authentication(
    tokens: TokenFile, presented: str | None
) -> None:
    tokens.create("helsinki", ["091"])
    with pytest.raises(AuthenticationRequiredError):
        tokens.authorize(presented, HELSINKI)


def test_a_right_id_with_a_wrong_secret_is_refused(tokens: TokenFile) -> None:
    token = tokens.create("helsinki", ["091"])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(AuthenticationRequiredError):
        tokens.authenticate(forged)


def test_revoked_token_stops_working(tokens: TokenFile) -> None:
    token = tokens.create("helsinki", ["091"])
    keep = tokens.create("espoo", ["049"])
    assert tokens.revoke("helsinki").name == "helsinki"
    with pytest.raises(AuthenticationRequiredError):
        tokens.authenticate(token)
    assert tokens.authenticate(keep).name == "espoo"
    with pytest.raises(NotFoundError):
        tokens.revoke("helsinki")


@pytest.mark.parametrize(
    ("name", "codes"), [("", ["091"]), ("x", []), ("x", ["91"]), ("x", ["helsinki"])]
)
def test_create_refuses_bad_names_and_codes(tokens: TokenFile, name: str, codes: list[str]) -> None:
    with pytest.raises(InputError):
        tokens.create(name, codes)
    assert tokens.records() == []


def test_duplicate_name_is_refused(tokens: TokenFile) -> None:
    tokens.create("dup", ["091"])
    with pytest.raises(InputError, match="exists"):
        tokens.create("dup", ["049"])
    assert len(tokens.records()) == 1


def test_a_missing_file_holds_no_tokens_and_a_broken_one_is_located(tmp_path: Path) -> None:
    assert TokenFile(tmp_path / "absent.json").records() == []
    broken = tmp_path / "broken.json"
    broken.write_text('{"tokens": [{"name": "x"}]}')
    with pytest.raises(InputError) as caught:
        TokenFile(broken).records()
    assert caught.value.location is not None
    assert caught.value.location.source == str(broken)
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(InputError):
        TokenFile(tmp_path / "dir.json").records()


def test_concurrent_creates_lose_no_token(tokens: TokenFile) -> None:
    made: list[str] = []

    def create(number: int) -> None:
        made.append(tokens.create(f"t{number}", ["091"]))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.name for r in tokens.records()) == [f"t{n}" for n in range(6)]
    assert all(tokens.authenticate(token) for token in made)
    assert not list(tokens.path.parent.glob("tokens.json.*[!k]"))  # no temporary files left


def test_token_cli_create_list_revoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tokens.json"
    monkeypatch.setenv("SERVICENET_TOKENS_FILE", str(path))
    assert main(["token", "create", "--municipality", "091", "--name", "hel"]) == 0
    printed = capsys.readouterr().out.strip()
    assert TokenFile(path).authorize(printed, HELSINKI).name == "hel"
    assert main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert "hel" in listed and "091" in listed and printed not in listed
    assert main(["token", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["municipalities"] == ["091"]
    assert main(["token", "revoke", "hel"]) == 0
    assert TokenFile(path).records() == []
    assert main(["token", "revoke", "hel"]) == 2


def test_token_cli_needs_a_token_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SERVICENET_TOKENS_FILE", raising=False)
    assert main(["token", "list"]) == 2
    assert "SERVICENET_TOKENS_FILE" in capsys.readouterr().err


def test_token_cli_file_option_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.json"
    code = main(
        ["token", "create", "--tokens-file", str(path), "-m", "049", "-m", "092", "-n", "x"]
    )
    assert code == 0
    capsys.readouterr()
    assert main(["token", "list", "--tokens-file", str(path)]) == 0
    assert "049, 092" in capsys.readouterr().out
    assert TokenFile(path).records()[0].municipalities == ("049", "092")
