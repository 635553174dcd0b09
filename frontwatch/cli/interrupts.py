"""Ctrl-C during a long command. SIGINT raises KeyboardInterrupt as Python's own handler does, and is
also remembered: Python drops an exception raised while a garbage-collection callback runs and prints
"Exception ignored in ..." with a traceback. Here that one is dropped silently, and a loop calls
`check()` between documents to raise it again, so the command still stops and says what it did."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def interruptible() -> Iterator[Callable[[], None]]:
    """Yield `check`: it raises KeyboardInterrupt once SIGINT has arrived, even if the first was lost."""
    arrived = threading.Event()

    def check() -> None:
        if arrived.is_set():
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield check  # signals reach the main thread only: nothing to remember here
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        arrived.set()
        raise KeyboardInterrupt

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        if not (arrived.is_set() and info.exc_type is KeyboardInterrupt):
            hook(info)

    hook = sys.unraisablehook
    previous = signal.signal(signal.SIGINT, on_sigint)
    sys.unraisablehook = unraisable
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook
