"""The write path: parse safely, validate the graph as it will be, apply atomically, one writer.

Includes the ``kill -9`` tests on the on-disk store: a writer process (and a whole server) killed in
the middle of a 200k-triple replace leaves the graph exactly old or exactly new, never in between.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from servicenet_vocab.errors import (
    InputError,
    NotFoundError,
    PayloadTooLargeError,
    RdfSyntaxError,
    RefusedInputError,
)
from servicenet_vocab.namespaces import SYSTEM_GRAPH, municipality_graph
from servicenet_vocab.publishing import provenance
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.publishing.writer import (
    Checks,
    Prepared,
    Publisher,
    Upload,
    check_size,
    parse_upload,
    prepare,
    prepare_job,
    run_inline,
    validate_upload,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store

SN = "https://w3id.org/servicenet/ontology#"
HELSINKI, ESPOO = municipality_graph("091"), municipality_graph("049")
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
CHECKS = Checks(shapes=(str(SHAPES),), context=())
ROOT = Path(__file__).resolve().parents[2]


def units(start: int, count: int, *, named: bool = True, city: str = "hel") -> bytes:
    lines = []
    for i in range(start, start + count):
        lines.append(f"<https://{city}.example/unit/{i}> <{SN}places> {i % 90} .")
        if named:
            lines.append(f'<https://{city}.example/unit/{i}> <{SN}name> "Unit {i}" .')
    return ("\n".join(lines) + "\n").encode()


def upload(data: bytes, graph: str = HELSINKI, fmt: RdfFormat = RdfFormat.TURTLE) -> Upload:
    return Upload(data=data, fmt=fmt, graph=graph)


def triples(store: OxigraphStore, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.quads(graph)}


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> OxigraphStore:
    return open_store("memory" if request.param == "memory" else tmp_path / "store")


# --- parsing ---------------------------------------------------------------------------------


def test_parse_upload_renames_blank_nodes_per_upload_and_keeps_their_links() -> None:
    data = b"_:a <urn:p> _:b . _:b <urn:q> 1 . <urn:s> <urn:r> _:a ."
    first, second = parse_upload(upload(data)), parse_upload(upload(data))
    assert len(first) == 3
    blank = {t for q in first for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert len(blank) == 2 and not blank & {
        t for q in second for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)
    }
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in first)


def test_parse_upload_accepts_the_target_graph_and_refuses_any_other() -> None:
    same = f"<{HELSINKI}> {{ <urn:a> <urn:b> <urn:c> }} <urn:a> <urn:b> <urn:c> ."
    assert len(parse_upload(upload(same.encode(), fmt=RdfFormat.TRIG))) == 1
    other = f"<urn:a> <urn:b> <urn:c> <{ESPOO}> .\n"
    with pytest.raises(RefusedInputError, match="049"):
        parse_upload(upload(other.encode(), fmt=RdfFormat.NQUADS))


def test_parse_errors_are_located() -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        parse_upload(upload(units(0, 2) + b"<urn:x> <urn:y> .\n"))
    assert caught.value.location is not None and caught.value.location.line == 5


def test_size_limit() -> None:
    check_size(10, 10)
    with pytest.raises(PayloadTooLargeError):
        check_size(11, 10)


def test_prepare_counts_the_graph_after_the_write() -> None:
    current = b'<https://hel.example/unit/0> <%sname> "Unit 0" .\n' % SN.encode()
    prepared = prepare(upload(units(0, 2)), current, CHECKS)
    assert prepared.uploaded == 4 and prepared.triples_after == 4
    assert prepared.report.conforms
    assert prepare(upload(units(0, 2)), None, CHECKS).triples_after == 4


def test_validate_upload_stores_nothing_and_reports() -> None:
    report = validate_upload(upload(units(0, 3, named=False)), CHECKS)
    assert len(report.results) == 3 and not report.fails()


# --- publishing ------------------------------------------------------------------------------


def test_publish_put_post_delete_with_provenance(store: OxigraphStore) -> None:
    committed: list[list[str]] = []
    publisher = Publisher(store, checks=CHECKS, on_commit=committed.append)
    created = publisher.publish(upload(units(0, 3)), replace=True, agent="hki")
    assert created.accepted and created.created and created.triples_after == 6
    added = publisher.publish(upload(units(3, 1, named=False)), replace=False, agent="hki")
    assert added.accepted and not added.created and added.triples_after == 7
    assert store.triple_count(HELSINKI) == 7
    [info] = provenance.datasets(store)
    assert (info.triples, info.last_method, info.last_agent, info.warnings) == (7, "POST", "hki", 1)
    assert info.conforms is False  # SHACL: a warning is a result, so sh:conforms is false
    assert committed == [[HELSINKI, SYSTEM_GRAPH]] * 2
    assert publisher.delete(HELSINKI, agent="hki") == 7
    assert not store.has_graph(HELSINKI) and provenance.datasets(store) == []
    with pytest.raises(NotFoundError):
        publisher.delete(HELSINKI, agent="hki")
    methods = store.query(
        f"SELECT ?m WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ ?a <{provenance.SNP}method> ?m }} }}"
    )
    assert sorted(r["m"] or "" for r in methods.rows()) == ["DELETE", "POST", "PUT"]


def test_refused_publish_changes_nothing(store: OxigraphStore) -> None:
    publisher = Publisher(store, checks=CHECKS)
    publisher.publish(upload(units(0, 3)), replace=True, agent="hki")
    before = store.dump(RdfFormat.NQUADS)
    bad = units(10, 2) + f'<https://hel.example/unit/x> <{SN}places> "lots" .'.encode()
    for replace in (True, False):
        outcome = publisher.publish(upload(bad), replace=replace, agent="hki")
        assert not outcome.accepted and outcome.activity is None
    with pytest.raises(RdfSyntaxError):
        publisher.publish(upload(b"<urn:a> ."), replace=True, agent="hki")
    with pytest.raises(InputError, match="only municipality graphs"):
        publisher.publish(upload(units(0, 1), graph="urn:other"), replace=True, agent="hki")
    with pytest.raises(InputError):
        publisher.delete(SYSTEM_GRAPH, agent="hki")
    assert store.dump(RdfFormat.NQUADS) == before


def test_report_language_follows_the_request() -> None:
    store = open_store("memory")
    publisher = Publisher(store, checks=CHECKS)
    outcome = publisher.publish(
        upload(units(0, 1, named=False)), replace=True, agent="x", lang="fi"
    )
    assert outcome.report.results and outcome.report.results[0].message


def test_one_writer_per_graph_no_two_read_validate_write_cycles_overlap() -> None:
    """The single-writer design: POSTs to one graph never run their read-validate-write cycle at
    the same time (the on-disk store would lose updates), while other graphs proceed."""
    store = open_store("memory")
    active: dict[str, int] = {HELSINKI: 0, ESPOO: 0}
    peak: dict[str, int] = {HELSINKI: 0, ESPOO: 0}
    guard = threading.Lock()

    def slow_runner(job: Callable[..., Any], *args: Any) -> Any:
        graph = args[0].graph
        with guard:
            active[graph] += 1
            peak[graph] = max(peak[graph], active[graph])
        time.sleep(0.05)  # widen the window an unguarded writer would lose updates in
        try:
            return run_inline(job, *args)
        finally:
            with guard:
                active[graph] -= 1

    publisher = Publisher(store, checks=CHECKS, runner=slow_runner)
    errors: list[BaseException] = []

    def post(graph: str, start: int) -> None:
        try:
            city = "hel" if graph == HELSINKI else "esp"
            outcome = publisher.publish(
                upload(units(start, 5, city=city), graph), replace=False, agent="t"
            )
            assert outcome.accepted
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [
        threading.Thread(target=post, args=(graph, n * 10))
        for n in range(6)
        for graph in (HELSINKI, ESPOO)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert peak == {HELSINKI: 1, ESPOO: 1}
    assert store.triple_count(HELSINKI) == store.triple_count(ESPOO) == 60
    [esp, hel] = provenance.datasets(store)
    assert (hel.triples, esp.triples) == (60, 60)


def test_prepare_runs_as_a_worker_pool_job() -> None:
    from servicenet_vocab.workers import WorkerPool

    with WorkerPool(1, memory_mb=1024) as pool:
        prepared: Prepared = pool.call(prepare_job, upload(units(0, 2)), None, CHECKS, timeout=60)
        assert prepared.uploaded == 4
        with pytest.raises(RefusedInputError):  # the worker's error, location included
            pool.call(
                prepare_job, upload(b"[" * 200, fmt=RdfFormat.TURTLE), None, CHECKS, timeout=60
            )


# --- kill -9 on the on-disk store ------------------------------------------------------------

NEW_TRIPLES = 200_000
OLD_TRIPLES = 1_000

WRITER = textwrap.dedent(
    """
    import sys
    from servicenet_vocab.namespaces import municipality_graph
    from servicenet_vocab.publishing.writer import Prepared, Publisher, Upload
    from servicenet_vocab.rdfio import RdfFormat
    from servicenet_vocab.store.embedded import open_store
    from servicenet_vocab.validation import ValidationReport

    graph = municipality_graph("091")
    store = open_store(sys.argv[1])
    n = int(sys.argv[2])
    body = "\\n".join(
        f"<https://hel.example/new/{i}> <https://w3id.org/servicenet/ontology#places> {i} ."
        for i in range(n)
    )
    prepared = Prepared(ValidationReport(conforms=True), body, n, n)

    class Announcing:  # says when the transaction starts, so the test kills inside it
        def __getattr__(self, name):
            return getattr(store, name)

        def write_graph(self, *args, **kwargs):  # the publisher's one write per upload
            print("applying", flush=True)
            store.write_graph(*args, **kwargs)

    publisher = Publisher(Announcing(), runner=lambda job, *args: prepared)
    publisher.publish(Upload(b"", RdfFormat.TURTLE, graph), replace=True, agent="killed")
    print("acknowledged", flush=True)
    sys.stdin.read()  # stay alive until killed
    """
)


def wait_for_line(process: subprocess.Popen[str], expected: str, timeout: float) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if ready:
            line = process.stdout.readline()
            if line.strip() == expected:
                return
            assert line, f"the writer exited before {expected!r}: {process.wait()}"
    pytest.fail(f"no {expected!r} from the writer in {timeout} s")


def old_or_new(path: Path, new_triples: int = NEW_TRIPLES) -> str:
    """Open the store a killed process left, and say which whole state the graph is in."""
    store = open_store(path)
    try:
        found = triples(store, HELSINKI)
        old = {q.triple for q in ox.parse(units(0, OLD_TRIPLES // 2), ox.RdfFormat.TURTLE)}
        recorded = {d.graph: d for d in provenance.datasets(store)}[HELSINKI]
        if found == old:
            state = "old"
        else:
            assert len(found) == new_triples, f"a partial graph: {len(found)} triples"
            assert all(t.subject.value.startswith("https://hel.example/new/") for t in found)
            state = "new"
        # the provenance record committed with the data, in the same transaction
        assert recorded.triples == len(found)
        assert recorded.last_agent == ("killed" if state == "new" else "setup")
        return state
    finally:
        store.close()


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("old") / "store"
    store = open_store(path)
    Publisher(store, checks=CHECKS).publish(
        upload(units(0, OLD_TRIPLES // 2)), replace=True, agent="setup"
    )
    store.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("delay", "size"),
    [
        (0.0, NEW_TRIPLES),
        (0.3, NEW_TRIPLES),
        (1.0, NEW_TRIPLES),
        (2.0, NEW_TRIPLES),
        (None, 20_000),
    ],
    ids=["0s", "0.3s", "1s", "2s", "after-ack"],
)
def test_kill_9_during_a_200k_replace_leaves_old_or_new(
    old_store: Path, tmp_path: Path, delay: float | None, size: int
) -> None:
    path = tmp_path / "store"
    shutil.copytree(old_store, path)
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(size)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(process, "applying", timeout=60)
        if delay is None:
            wait_for_line(process, "acknowledged", timeout=60)
        else:
            time.sleep(delay)  # the point inside the transaction where the kill lands
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    state = old_or_new(path, size)
    if delay is None:
        assert state == "new"  # acknowledged means committed and flushed
    if delay == 0.0:
        assert state == "old"  # killed as the transaction began: nothing of it is visible


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVE = [sys.executable, "-m", "servicenet_vocab.cli", "serve"]


@pytest.mark.slow
def test_kill_9_of_the_server_during_a_large_put(tmp_path: Path, old_store: Path) -> None:
    """The whole server (uvicorn, its worker processes) killed while a PUT is in flight."""
    path = tmp_path / "store"
    shutil.copytree(old_store, path)
    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("killed", ["091"])
    port = free_port()
    env = {
        **os.environ,
        "SERVICENET_PUBLISH_SHAPES": str(SHAPES),  # the test shapes only, no context
        "SERVICENET_PUBLISH_CONTEXT": "",
        "SERVICENET_TOKENS_FILE": str(tokens.path),
        "SERVICENET_LOAD_EXAMPLES": "false",
        "SERVICENET_WORKERS": "1",
        "SERVICENET_MAX_UPLOAD_BYTES": str(100 * 1024 * 1024),
    }
    server = subprocess.Popen(
        [*SERVE, "--store", str(path), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    body = "\n".join(
        f'<https://hel.example/new/{i}> <{SN}places> {i % 90} ; <{SN}name> "n" .'
        for i in range(NEW_TRIPLES // 2)
    ).encode()
    outcome: list[int | str] = []
    try:
        deadline = time.monotonic() + 120
        while not _ready(url):
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not become ready in 120 s"
            time.sleep(0.05)  # polling interval
        sent = threading.Event()

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 64 * 1024):
                yield body[start : start + 64 * 1024]
            sent.set()  # httpx asks for more only once the last chunk is written

        def send() -> None:
            try:
                response = httpx.put(
                    f"{url}/graph-store",
                    params={"graph": HELSINKI},
                    content=chunks(),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "text/turtle",
                        "Content-Length": str(len(body)),
                    },
                    timeout=120,
                )
                outcome.append(response.status_code)
            except httpx.TransportError as error:
                outcome.append(type(error).__name__)

        sender = threading.Thread(target=send)
        sender.start()
        # Kill once the whole upload is sent: the server is parsing, validating or applying it
        # (or has answered, which the check below allows for).
        deadline = time.monotonic() + 120
        while not sent.wait(timeout=0.05):  # polling interval; a refusal ends the sender early
            assert sender.is_alive() or sent.is_set(), f"answered before it was all sent: {outcome}"
            assert time.monotonic() < deadline, "the upload was not sent in 120 s"
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        sender.join(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    state = old_or_new(path)
    if outcome and outcome[0] == 204:
        assert state == "new"  # it was acknowledged before the kill


def _ready(url: str) -> bool:
    try:
        return bool(httpx.get(f"{url}/health", timeout=2).json()["ready"])
    except httpx.TransportError:
        return False


def test_only_one_process_can_open_the_on_disk_store_for_writing(tmp_path: Path) -> None:
    """Why the writer lives in the API process: a second writer process cannot even open it."""
    store = open_store(tmp_path / "store")
    try:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\nfrom servicenet_vocab.errors import StoreError\n"
                "from servicenet_vocab.store.embedded import open_store\n"
                "try:\n    open_store(sys.argv[1])\nexcept StoreError as error:\n"
                "    print(error.code)\n",
                str(tmp_path / "store"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert probe.stdout.strip() == "STORE_ERROR", probe.stderr
    finally:
        store.close()
