"""Worker processes for untrusted work, and the snapshots they read the data from.

``pool`` (the ``WorkerPool``), ``idle`` (who waits for which worker), ``process`` (one worker and
the job context), ``framing`` (the messages on the pipe), ``snapshots`` (the data they see).
"""

from servicenet_vocab.workers.pool import WorkerPool
from servicenet_vocab.workers.process import WorkerContext, touch_store
from servicenet_vocab.workers.snapshots import SnapshotPublisher, StoreSource

__all__ = ["SnapshotPublisher", "StoreSource", "WorkerContext", "WorkerPool", "touch_store"]
