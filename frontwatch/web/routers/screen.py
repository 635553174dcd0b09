"""Screening a message or text against what frontwatch knows (frontwatch.screen); nothing is stored."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, HTTPException

from ..deps import ViewerDep
from ..models import ScreenRequest

router = APIRouter(prefix="/api", tags=["screen"])
SCREEN_SECONDS = 20.0  # a screening taking longer is answered with 503 (its thread finishes on its own)
SCREEN_AT_ONCE = 2  # screenings running at the same time (CPU-bound); more are refused with 429
_running = threading.BoundedSemaphore(SCREEN_AT_ONCE)
_pool = ThreadPoolExecutor(max_workers=SCREEN_AT_ONCE, thread_name_prefix="screen")


def _plain(report: Any) -> Any:
    if hasattr(report, "to_dict"):
        return report.to_dict()
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return report


@router.post("/screen", response_model=dict[str, Any])
async def screen(body: ScreenRequest, _: ViewerDep) -> Any:
    """The screening report of `text` (at most 100,000 characters) read as `format` (text, whatsapp,
    json or eml); 503 when the screening module is not installed or the screening takes too long, 429
    while other screenings run."""
    if not _running.acquire(blocking=False):
        raise HTTPException(429, "other screenings are running: try again in a few seconds")
    try:
        future = _pool.submit(_screen, body)
    except BaseException:
        _running.release()
        raise
    future.add_done_callback(lambda _: _running.release())  # the slot is freed when the work ends
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), SCREEN_SECONDS)
    except TimeoutError:
        raise HTTPException(503, f"screening took over {SCREEN_SECONDS:g} seconds: send a shorter text"
                            ) from None


def _screen(body: ScreenRequest) -> Any:
    try:
        module = importlib.import_module("frontwatch.screen")
        screen_text = module.screen_text
    except (ImportError, AttributeError):
        raise HTTPException(503, "screening not installed") from None
    kwargs: dict[str, Any] = {}
    if body.country:
        try:
            params = inspect.signature(screen_text).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        if "country" in params:
            kwargs["country"] = body.country
    report = _plain(screen_text(body.text, body.format, **kwargs))
    if not isinstance(report, dict):
        return {"report": report}
    return report
