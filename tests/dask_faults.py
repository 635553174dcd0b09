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

        one, chunk = extract.extract_one, extract.extract_chunk

        def extract_one(doc: Any, *args: Any, **kwargs: Any) -> Any:
            if MARKER in doc.text:
                os._exit(1)
            return one(doc, *args, **kwargs)

        def extract_chunk(docs: Any, *args: Any, **kwargs: Any) -> Any:
            if any(MARKER in doc.text for doc in docs):
                os._exit(1)
            return chunk(docs, *args, **kwargs)

        extract.extract_one = extract_one  # type: ignore[assignment]
        extract.extract_chunk = extract_chunk  # type: ignore[assignment]
