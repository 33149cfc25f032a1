"""The worker pool: results and streams, errors with locations, the wall-clock kill, crashes,
the memory limit, snapshots and read-only sources."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from servicenet_vocab.errors import (
    Location,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    WorkerCrashedError,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.workers import StoreSource, WorkerContext, WorkerPool
from servicenet_vocab.workers.framing import CHUNK

G1, G2 = "urn:graph:1", "urn:graph:2"
# What a loaded 2-core CI may add to a step that should be prompt (a kill, a close, a respawn);
# each spin below runs far longer, or forever, so a step that waits for it still fails.
SLACK = 10.0
# How long to poll for a condition that should soon hold (a job started); costs nothing when it does.
PATIENCE = 60.0


# --- jobs (top-level so workers can import them) -------------------------------------------------


def triple_count(context: WorkerContext) -> int:
    return len(context.store)


def stream(context: WorkerContext, size: int) -> str:
    for start in range(0, size, 1000):
        context.output.write(b"x" * min(1000, size - start))
    return "done"


def fail_located(context: WorkerContext) -> None:
    raise QuerySyntaxError("bad token", location=Location(source="query", line=2, column=7))


def spin(context: WorkerContext) -> None:
    while True:
        pass


def flag_then_spin(context: WorkerContext, flag: str) -> None:
    Path(flag).touch()  # tells the test the job runs: no guess at how long a worker takes to start
    spin(context)


def segfault(context: WorkerContext) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def allocate(context: WorkerContext, megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def bug(context: WorkerContext) -> None:
    raise KeyError("a bug, not an input error")


def my_pid(context: WorkerContext) -> int:
    return os.getpid()


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(2, memory_mb=512) as workers:
        yield workers


def test_call_returns_the_result_and_streams_bytes_in_chunks(pool: WorkerPool) -> None:
    sink = io.BytesIO()
    assert pool.call(stream, 3 * CHUNK + 5, timeout=10, sink=sink) == "done"
    assert sink.getvalue() == b"x" * (3 * CHUNK + 5)


def test_library_errors_come_back_with_their_location(pool: WorkerPool) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        pool.call(fail_located, timeout=10)
    assert caught.value.location == Location(source="query", line=2, column=7)
    assert caught.value.message == "bad token"


def test_timeout_kills_the_worker_and_its_cpu_stops(pool: WorkerPool) -> None:
    pids = set(pool.pids)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="limit of 1 s"):
        pool.call(spin, timeout=1)
    assert time.monotonic() - started < 1 + SLACK  # the job spins forever: it was killed
    (killed,) = pids - set(pool.pids)
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == "zombie"
    assert len(pool.pids) == 2
    assert pool.call(triple_count, timeout=10) == 0


def test_a_crash_costs_one_call_and_the_worker_is_replaced(pool: WorkerPool) -> None:
    with pytest.raises(WorkerCrashedError, match="SIGSEGV"):
        pool.call(segfault, timeout=10)
    assert len(pool.pids) == 2
    assert pool.call(triple_count, timeout=10) == 0


def test_an_unexpected_exception_is_a_crash_not_a_hang(pool: WorkerPool) -> None:
    with pytest.raises(WorkerCrashedError, match="exit code 1"):
        pool.call(bug, timeout=10)
    assert pool.call(triple_count, timeout=10) == 0


def test_memory_limit_stops_a_runaway_job() -> None:
    with WorkerPool(1, memory_mb=256) as small:
        with pytest.raises(WorkerCrashedError, match="256 MB"):
            small.call(allocate, 512, timeout=20)
        assert small.call(allocate, 16, timeout=20) == 16 * 1024 * 1024


def test_a_worker_killed_while_idle_is_replaced_before_use() -> None:
    with WorkerPool(1) as single:
        pid = single.call(my_pid, timeout=10)
        os.kill(pid, signal.SIGKILL)
        psutil.Process(pid).wait(timeout=SLACK)
        assert single.call(my_pid, timeout=10) != pid


def test_a_busy_pool_times_out_waiting(tmp_path: Path) -> None:
    flag = tmp_path / "started"
    errors: list[StoreError] = []
    with WorkerPool(1) as single:
        thread = threading.Thread(target=_spin_until_closed, args=(single, flag, errors))
        thread.start()
        _wait_for(flag.exists, "the spin job to start")
        with pytest.raises(QueryTimeoutError, match="busy"):
            single.call(triple_count, timeout=0.3)
    thread.join(timeout=SLACK)  # leaving the block closed the pool, which stops the spin
    assert errors and "shutting down" in str(errors[0])


def _spin_until_closed(pool: WorkerPool, flag: Path, errors: list[StoreError]) -> None:
    try:
        pool.call(flag_then_spin, str(flag), timeout=10 * PATIENCE)
    except StoreError as error:
        errors.append(error)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"waited {PATIENCE:g} s for {what}"
        time.sleep(0.02)  # polling interval


async def _await(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"waited {PATIENCE:g} s for {what}"
        await asyncio.sleep(0.02)  # polling interval; lets the task under test run


def _gone(pid: int) -> bool:
    return not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"


def test_a_closed_pool_refuses_work() -> None:
    pool = WorkerPool(1).start()
    pids = pool.pids
    pool.close()
    assert all(not psutil.pid_exists(p) or psutil.Process(p).status() == "zombie" for p in pids)
    with pytest.raises(StoreError, match="shutting down"):
        pool.call(triple_count, timeout=1)


def test_close_stops_a_call_in_flight(tmp_path: Path) -> None:
    flag = tmp_path / "started"
    pool = WorkerPool(1).start()
    errors: list[StoreError] = []
    thread = threading.Thread(target=_spin_until_closed, args=(pool, flag, errors))
    thread.start()
    _wait_for(flag.exists, "the spin job to start")
    started = time.monotonic()
    pool.close()
    thread.join(timeout=2 * SLACK)
    assert time.monotonic() - started < SLACK  # the call had ten minutes left
    assert errors and "shutting down" in str(errors[0])


# --- data sources ---------------------------------------------------------------------------------


def _triple(n: int) -> bytes:
    return f"<urn:s{n}> <urn:p> <urn:o{n}> .\n".encode()


def test_snapshots_publish_changed_graphs_only(tmp_path: Path) -> None:
    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    store.load(_triple(2) + _triple(3), RdfFormat.NTRIPLES, graph=G2)
    with WorkerPool(1, source=StoreSource.snapshot(tmp_path)) as pool:
        assert pool.publish(store) == 1
        assert pool.call(triple_count, timeout=20) == 3
        first = dict(pool.publisher.graphs)  # type: ignore[union-attr]
        store.load(_triple(4), RdfFormat.NTRIPLES, graph=G1)
        pool.publish(store, [G1])
        assert pool.publisher.graphs[G1]["version"] == 2  # type: ignore[union-attr]
        assert pool.publisher.graphs[G2] == first[G2]  # type: ignore[union-attr]
        assert pool.call(triple_count, timeout=20) == 4
        store.clear_graph(G2)
        pool.publish(store, [G2])
        assert pool.call(triple_count, timeout=20) == 2
        pool.publish(store)  # a full publication drops what is gone, rewrites what is there
        assert pool.call(triple_count, timeout=20) == 2
    files = sorted(p.name for p in tmp_path.glob("*.nt"))
    assert len(files) == 2  # the current version of G1, and the previous one kept one round


def test_a_new_worker_starts_from_the_latest_snapshot(tmp_path: Path) -> None:
    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    with WorkerPool(1, source=StoreSource.snapshot(tmp_path)) as pool:
        pool.publish(store)
        with pytest.raises(WorkerCrashedError):
            pool.call(segfault, timeout=10)
        assert pool.call(triple_count, timeout=20) == 1


def test_an_unpublished_snapshot_directory_is_an_empty_store(tmp_path: Path) -> None:
    with WorkerPool(1, source=StoreSource.snapshot(tmp_path / "none")) as pool:
        assert pool.call(triple_count, timeout=20) == 0


def test_read_only_source_reopens_on_a_new_generation(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    with WorkerPool(1, source=StoreSource.read_only(tmp_path / "store")) as pool:
        assert pool.call(triple_count, timeout=20) == 1
        store.load(_triple(2), RdfFormat.NTRIPLES, graph=G1)
        assert pool.call(triple_count, timeout=20) == 1  # a read-only handle keeps its state
        pool.publish(store)
        assert pool.call(triple_count, timeout=20) == 2
    store.close()


# --- the worker's side, in this process (coverage does not follow forkserver children) ----------


def test_run_job_streams_then_reports_over_the_pipe() -> None:
    from multiprocessing import Pipe

    from servicenet_vocab.workers.process import run_job as _run_job
    from servicenet_vocab.workers.snapshots import StoreView as _StoreView

    parent, child = Pipe()
    view = _StoreView(StoreSource())
    messages: list[bytes] = []

    def read() -> None:
        while not messages or messages[-1][:1] != b"R":
            messages.append(parent.recv_bytes())

    reader = threading.Thread(target=read)
    reader.start()  # a pipe holds less than a chunk: read while the job writes
    _run_job(child, view, 0, stream, (3 * CHUNK,))
    reader.join(timeout=10)
    assert [m[:1] for m in messages] == [b"D", b"D", b"D", b"R"]
    assert sum(len(m) - 1 for m in messages[:-1]) == 3 * CHUNK
    _run_job(child, view, 0, fail_located, ())
    assert parent.recv_bytes()[:1] == b"E"
    _run_job(child, view, 0, triple_count, ())
    assert parent.recv_bytes()[:1] == b"R"


def test_store_view_follows_snapshot_generations(tmp_path: Path) -> None:
    from servicenet_vocab.workers.snapshots import SnapshotPublisher
    from servicenet_vocab.workers.snapshots import StoreView as _StoreView

    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    store.load(_triple(2), RdfFormat.NTRIPLES, graph=G2)
    publisher = SnapshotPublisher(tmp_path)
    view = _StoreView(StoreSource.snapshot(tmp_path))
    assert len(view.get(0)) == 0  # nothing published yet
    generation = publisher.publish(store)
    assert len(view.get(generation)) == 2
    store.load(_triple(3), RdfFormat.NTRIPLES, graph=G1)
    store.clear_graph(G2)
    generation = publisher.publish(store)
    assert len(view.get(generation)) == 2
    assert view.versions == {G1: 2}
    assert view.get(generation) is view.get(generation)  # no reload without a new generation


def test_store_view_read_only_reports_a_missing_store(tmp_path: Path) -> None:
    from servicenet_vocab.workers.snapshots import StoreView as _StoreView

    store = open_store(tmp_path / "store")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    view = _StoreView(StoreSource.read_only(tmp_path / "store"))
    assert len(view.get(1)) == 1
    store.load(_triple(2), RdfFormat.NTRIPLES, graph=G1)
    assert len(view.get(2)) == 2
    store.close()
    with pytest.raises(StoreError, match="read-only"):
        _StoreView(StoreSource.read_only(tmp_path / "nowhere" / "x")).get(1)


def held_generation(context: WorkerContext) -> int:
    return context.generation  # without touching context.store: no reload


def test_publish_warms_idle_workers_in_the_background(tmp_path: Path) -> None:
    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    with WorkerPool(2, source=StoreSource.snapshot(tmp_path)) as pool:
        pool.publish(store)
        _join(pool.warming)
        store.load(_triple(2), RdfFormat.NTRIPLES, graph=G1)
        generation = pool.publish(store, [G1])
        assert len(pool.warming) == 2  # both workers were idle: both reload now
        _join(pool.warming)
        held = {pool.call(held_generation, timeout=10) for _ in range(4)}
        assert held == {generation}  # both workers reloaded before any query asked
        assert pool.call(triple_count, timeout=10) == 2


def slow_warm_job(context: WorkerContext) -> int:
    time.sleep(1.5)  # a warm-up that reads for a while (the planning facts at national scale)
    return len(context.store)


def test_a_heavy_warm_job_runs_on_one_worker_at_a_time(tmp_path: Path) -> None:
    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    with WorkerPool(2, source=StoreSource.snapshot(tmp_path), warm_job=slow_warm_job) as pool:
        generation = pool.publish(store)
        # while one worker warms, the other answers at once (it was reloaded, not warmed)
        assert pool.call(held_generation, timeout=1.0) == generation
        _join(pool.warming)
        assert sorted(pool._warmed.values()) == [generation, generation]  # both, in turn


def test_a_graph_dropped_and_written_again_is_reloaded(tmp_path: Path) -> None:
    """0.x numbered a graph's versions from 1 again after a drop: the new file had the name of
    the stale one, which the next publication removed, and a worker still holding version 1
    kept the old triples."""
    store = open_store("memory")
    store.load(_triple(1), RdfFormat.NTRIPLES, graph=G1)
    with WorkerPool(1, source=StoreSource.snapshot(tmp_path)) as pool:
        pool.publish(store)
        assert pool.call(triple_count, timeout=10) == 1
        store.drop_graph(G1)
        pool.publish(store, [G1])  # the worker stays idle-warm: it may not reload in between
        store.load(_triple(1) + _triple(2), RdfFormat.NTRIPLES, graph=G1)
        pool.publish(store, [G1])
        store.load(_triple(3), RdfFormat.NTRIPLES, graph=G2)
        pool.publish(store, [G2])  # the next publication removes the stale files
        _join(pool.warming)
        assert pool.call(triple_count, timeout=10) == 3


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=30)


# --- from an event loop: acall ----------------------------------------------------------------


def test_acall_streams_chunks_and_returns_the_result(pool: WorkerPool) -> None:
    sink = io.BytesIO()
    assert asyncio.run(pool.acall(stream, 3 * CHUNK + 5, timeout=10, sink=sink)) == "done"
    assert sink.getvalue() == b"x" * (3 * CHUNK + 5)
    # The same worker then serves a blocking call: its pipe is blocking again.
    assert pool.call(stream, 2 * CHUNK, timeout=10, sink=io.BytesIO()) == "done"


def test_acall_reraises_the_jobs_error_with_its_location(pool: WorkerPool) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        asyncio.run(pool.acall(fail_located, timeout=10))
    assert caught.value.location == Location(source="query", line=2, column=7)


def test_acall_timeout_kills_the_worker_before_answering() -> None:
    with WorkerPool(1) as single:
        (pid,) = single.pids
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="1 s"):
            asyncio.run(single.acall(spin, timeout=1))
        assert time.monotonic() - started < 1 + SLACK  # the job spins forever: it was killed
        assert _gone(pid)
        assert asyncio.run(single.acall(my_pid, timeout=10)) != pid


def test_acall_reports_a_crash_and_the_pool_recovers() -> None:
    with WorkerPool(1) as single:
        with pytest.raises(WorkerCrashedError, match="SIGSEGV"):
            asyncio.run(single.acall(segfault, timeout=10))
        assert asyncio.run(single.acall(triple_count, timeout=10)) == 0


def test_cancelling_an_acall_kills_its_worker_at_once(tmp_path: Path) -> None:
    """What happens when the HTTP client of a long query goes away."""
    flag = tmp_path / "started"

    async def abandon(pool: WorkerPool) -> float:
        task = asyncio.ensure_future(pool.acall(flag_then_spin, str(flag), timeout=10 * PATIENCE))
        await _await(flag.exists, "the spin job to start")
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    with WorkerPool(1) as single:
        (pid,) = single.pids
        assert asyncio.run(abandon(single)) < SLACK
        deadline = time.monotonic() + SLACK
        while not _gone(pid):
            assert time.monotonic() < deadline, "the abandoned worker kept running"
            time.sleep(0.01)  # polling for SIGKILL to land
        assert asyncio.run(single.acall(my_pid, timeout=10)) != pid


def test_threads_and_tasks_share_the_workers_first_come_first_served() -> None:
    """More callers than workers, blocking and async mixed: each call gets a worker in turn."""

    async def many(pool: WorkerPool) -> list[int]:
        return list(await asyncio.gather(*(pool.acall(my_pid, timeout=20) for _ in range(12))))

    with WorkerPool(2) as small:
        from_threads: list[int] = []
        threads = [
            threading.Thread(target=lambda: from_threads.append(small.call(my_pid, timeout=20)))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        from_tasks = asyncio.run(many(small))
        for thread in threads:
            thread.join()
        assert len(from_tasks) == 12 and len(from_threads) == 6
        assert set(from_tasks) | set(from_threads) <= set(small.pids)


def test_a_task_that_waits_too_long_for_a_worker_times_out_and_loses_nothing(
    tmp_path: Path,
) -> None:
    flag = tmp_path / "started"

    async def crowd(pool: WorkerPool) -> None:
        busy = asyncio.ensure_future(pool.acall(flag_then_spin, str(flag), timeout=10 * PATIENCE))
        await _await(flag.exists, "the spin job to start")
        with pytest.raises(QueryTimeoutError, match="busy"):
            await pool.acall(my_pid, timeout=0.3)
        busy.cancel()  # its worker is killed and replaced while the withdrawn waiter is queued
        with pytest.raises(asyncio.CancelledError):
            await busy

    with WorkerPool(1) as single:
        asyncio.run(crowd(single))
        assert asyncio.run(single.acall(triple_count, timeout=10)) == 0  # still one worker


def test_frames_are_read_across_partial_reads_and_with_long_headers() -> None:
    from servicenet_vocab.workers.framing import Frames as _Frames

    frames = _Frames()
    messages = [b"D" + b"a" * 70_000, b"Rshort"]
    wire = b"".join(struct.pack("!i", len(m)) + m for m in messages)
    wire += struct.pack("!i", -1) + struct.pack("!Q", 3) + b"big"  # the >2 GiB header form
    received: list[bytes] = []
    for start in range(0, len(wire), 997):
        received += frames.feed(wire[start : start + 997])
    assert received == [*messages, b"big"]
