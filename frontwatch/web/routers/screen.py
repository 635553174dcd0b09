"""Screening a message or text against what frontwatch knows (frontwatch.screen); nothing is stored."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

from fastapi import APIRouter, HTTPException

from ..deps import ViewerDep
from ..models import ScreenRequest

router = APIRouter(prefix="/api", tags=["screen"])


def _plain(report: Any) -> Any:
    if hasattr(report, "to_dict"):
        return report.to_dict()
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return report


@router.post("/screen", response_model=dict[str, Any])
def screen(body: ScreenRequest, _: ViewerDep) -> Any:
    """The screening report of `text` read as `format` (text, whatsapp, json or eml); 503 when the
    screening module is not installed."""
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
