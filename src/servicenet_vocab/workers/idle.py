"""The idle workers of a pool, shared by blocking threads and event-loop tasks."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections import deque

from servicenet_vocab.workers.process import Worker

__all__ = ["IdleWorkers"]


class Waiter:
    """One caller waiting for an idle worker: a thread (``loop`` is None) or an event-loop task."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self.event: threading.Event | None = None if loop else threading.Event()
        self.future: asyncio.Future[Worker] | None = loop.create_future() if loop else None
        self.worker: Worker | None = None
        self.withdrawn = False


class IdleWorkers:
    """Idle workers for threads and event-loop tasks alike: waiting callers are served first come,
    first served; of the idle workers, the one released last goes first (measured: alternating
    between two workers made a 1.5 ms query 30 % slower, each copy of the data colder in cache)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: deque[Worker] = deque()
        self._waiters: deque[Waiter] = deque()

    def put(self, worker: Worker) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.withdrawn:
                    waiter.worker = worker
                    if waiter.loop is not None:
                        waiter.loop.call_soon_threadsafe(self._deliver, waiter, worker)
                    else:
                        assert waiter.event is not None
                        waiter.event.set()
                    return
            self._workers.append(worker)

    def _deliver(self, waiter: Waiter, worker: Worker) -> None:
        assert waiter.future is not None
        if waiter.future.done():  # its task gave up as the worker was handed over: pass it on
            self.put(worker)
        else:
            waiter.future.set_result(worker)

    def take_all(self) -> list[Worker]:
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
            return workers

    def take(self, worker: Worker) -> bool:
        """Take this worker if it is idle."""
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
                return True
            return False

    def _take_or_wait(self, loop: asyncio.AbstractEventLoop | None) -> Worker | Waiter:
        with self._lock:
            if self._workers:  # the last one released: its caches are warm with the data
                return self._workers.pop()
            waiter = Waiter(loop)
            self._waiters.append(waiter)
            return waiter

    def _withdraw(self, waiter: Waiter) -> bool:
        """Stop waiting; False when a worker was already handed to this waiter."""
        with self._lock:
            if waiter.worker is not None:
                return False
            waiter.withdrawn = True
            return True

    def get(self, timeout: float) -> Worker:
        """Block for up to ``timeout`` seconds; ``queue.Empty`` when no worker came."""
        taken = self._take_or_wait(None)
        if isinstance(taken, Worker):
            return taken
        assert taken.event is not None
        if not taken.event.wait(max(0.0, timeout)) and self._withdraw(taken):
            raise queue.Empty
        assert taken.worker is not None
        return taken.worker

    async def aget(self, timeout: float) -> Worker:
        taken = self._take_or_wait(asyncio.get_running_loop())
        if isinstance(taken, Worker):
            return taken
        assert taken.future is not None
        try:
            return await asyncio.wait_for(taken.future, max(0.0, timeout))
        except (TimeoutError, asyncio.CancelledError) as stop:
            # A worker handed over meanwhile reaches ``_deliver``, which passes it on.
            self._withdraw(taken)
            if isinstance(stop, TimeoutError):
                raise queue.Empty from None
            raise
