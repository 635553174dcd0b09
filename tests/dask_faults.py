"""Faults for the Dask tests, importable by worker processes (they unpickle the plugin by name)."""

from __future__ import annotations

import os
from typing import Any

from distributed import WorkerPlugin

MARKER = "[this document kills the worker that extracts it]"


class KillOnMarker(WorkerPlugin):
    """Makes every worker process die (os._exit, as an out-of-memory kill would) when it is given a
    document containing MARKER to extract; workers the nanny restarts get it again."""

    name = "kill-on-marker"
    idempotent = True

    def setup(self, worker: Any) -> None:
        import frontwatch.extract as extract

        original = extract.extract_one

        def extract_one(doc: Any, *args: Any, **kwargs: Any) -> Any:
            if MARKER in doc.text:
                os._exit(1)
            return original(doc, *args, **kwargs)

        extract.extract_one = extract_one  # type: ignore[assignment]
