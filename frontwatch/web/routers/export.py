"""Downloads of the (filtered) network in the ecosystem's formats; stance and attribution travel with
every claim, as in `frontwatch export`."""

from __future__ import annotations

import importlib
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from ...graph.network import Network, load_network
from ..deps import FiltersDep, SessionDep, ViewerDep

router = APIRouter(prefix="/api", tags=["export"])
FORMATS: dict[str, tuple[str, str]] = {  # format -> (file name, media type)
    "stix": ("frontwatch-stix.json", "application/json"),
    "misp": ("frontwatch.misp.json", "application/json"),
    "ftm": ("frontwatch.ftm.json", "application/x-ndjson"),
    "gexf": ("frontwatch.gexf", "application/xml"),
    "graphml": ("frontwatch.graphml", "application/xml"),
    "csv": ("frontwatch-csv.zip", "application/zip"),
    "jsonl": ("frontwatch.jsonl", "application/x-ndjson"),
}
MEDIA: dict[str, Any] = {media: {"schema": {"type": "string", "format": "binary"}}
                         for _, media in FORMATS.values()}
MEDIA["application/json"] = {"schema": {"type": "object"}}  # a STIX bundle or a MISP event


@router.get("/export", response_class=FileResponse,
            responses={200: {"description": "The export as a download", "content": MEDIA}})
def export(session: SessionDep, _: ViewerDep, filters: FiltersDep,
           format: Annotated[Literal["stix", "misp", "ftm", "gexf", "graphml", "csv", "jsonl"], Query(
               description="stix, misp (a MISP event), ftm, gexf, graphml, csv (a zip of nodes.csv and "
                           "edges.csv) or jsonl")]
           ) -> FileResponse:
    """The filtered network as a file (Content-Disposition: attachment)."""
    return network_file(load_network(session, filters), format)


def network_file(network: Network, format: str) -> FileResponse:
    """A network written in one of FORMATS, as a download (the temporary folder goes afterwards)."""
    name, media = FORMATS[format]
    tmp = Path(tempfile.mkdtemp(prefix="frontwatch-export-"))
    try:
        module = importlib.import_module(f"frontwatch.export.{format}")
        target = tmp / name
        if format == "csv":
            module.write(network, tmp / "csv")
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
                for part in ("nodes.csv", "edges.csv"):
                    zf.write(tmp / "csv" / part, part)
        else:
            module.write(network, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return FileResponse(target, media_type=media, filename=name,
                        background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True))
