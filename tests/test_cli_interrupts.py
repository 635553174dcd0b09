"""Ctrl-C that Python loses inside a garbage-collection callback still stops a command, silently."""

from __future__ import annotations

import os
import signal
import sys
import weakref

import pytest

from frontwatch.cli.interrupts import interruptible


class _Thing:
    pass


def _interrupt_inside_a_weakref_callback() -> None:
    thing = _Thing()
    ref = weakref.ref(thing, lambda _: os.kill(os.getpid(), signal.SIGINT))
    del thing  # the callback runs now; the KeyboardInterrupt it raises is "ignored" by Python
    assert ref() is None


def test_an_interrupt_lost_in_a_callback_is_raised_again_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    printed: list[type[BaseException]] = []  # what Python would print as "Exception ignored in ..."
    monkeypatch.setattr(sys, "unraisablehook", lambda info: printed.append(info.exc_type))
    with interruptible() as check:
        _interrupt_inside_a_weakref_callback()  # would raise here if Python had not dropped it
        with pytest.raises(KeyboardInterrupt):
            check()
        weakref.ref(_Thing(), lambda _: 1 / 0)  # any other lost exception is still printed
    assert printed == [ZeroDivisionError]


def test_before_any_interrupt_check_is_silent_and_the_handlers_come_back() -> None:
    handler, hook = signal.getsignal(signal.SIGINT), sys.unraisablehook
    with interruptible() as check:
        check()
        assert signal.getsignal(signal.SIGINT) is not handler
    assert signal.getsignal(signal.SIGINT) is handler and sys.unraisablehook is hook


def test_a_direct_interrupt_still_raises_at_once() -> None:
    with interruptible(), pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between two bytecodes
            pass
