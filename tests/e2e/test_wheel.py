"""The built wheel serves every page: `tools/dist.py` (what `make dist` runs) copies the browser libraries
into the package and builds the wheel; it is installed in a fresh venv outside the checkout, a tiny document
is ingested, `frontwatch serve` runs from there, and Chromium loads the graph and map pages from it.

The fresh venv gets frontwatch only from the wheel; its dependencies (spaCy and the rest) are borrowed from
the running environment through a .pth line, so nothing is downloaded. One build for the whole module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_helpers import REPO, Tab, open_tab

TEXT = ("The Canadian Security Intelligence Service said China interfered in Canada. "
        "The Chinese Consulate in Toronto funded the Toronto Harbour Friendship Association.\n")


@dataclass
class Installed:
    venv: Path
    wheel: Path
    package: Path
    url: str


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def installed(browser: Any, assets_dir: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The wheel built as `make dist` does, installed in a fresh venv outside the checkout, serving a store
    with one tiny document."""
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FRONTWATCH_", "PYTHON", "VIRTUAL_ENV"))}
    out = _run([sys.executable, str(REPO / "tools" / "dist.py"), "--modules", str(assets_dir),
                "--out", str(work / "dist")], REPO, env)
    (wheel,) = (work / "dist").glob("frontwatch-*.whl")
    assert str(wheel) in out

    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work, env)
    python = str(venv / "bin" / "python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
          str(wheel)], work, env)
    # the dependencies, from this environment (added after the install, so pip never saw them)
    def ask(code: str) -> Path:
        return Path(_run([python, "-c", f"print({code})"], work, env).strip())

    site = ask("__import__('sysconfig').get_path('purelib')")
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    package = ask("__import__('frontwatch').__file__").parent

    (work / "note.txt").write_text(TEXT)
    frontwatch = str(venv / "bin" / "frontwatch")
    _run([frontwatch, "ingest", "note.txt", "--db", "tiny.db"], work, env)
    port = _free_port()
    server = subprocess.Popen([frontwatch, "serve", "--db", "tiny.db", "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"frontwatch serve did not start:\n{server.communicate()[0]}")
            time.sleep(0.2)
        yield Installed(venv, wheel, package, url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def wheel_tab(browser: Any, installed: Installed) -> Iterator[tuple[Tab, list[str]]]:
    """A tab on the installed server, with every response of 400 or more and every failed request."""
    context, tab = open_tab(browser, installed.url, None)
    bad: list[str] = []
    tab.page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.page.on("requestfailed", lambda r: bad.append(f"failed {r.url}"))
    try:
        yield tab, bad
    finally:
        context.close()


def test_the_package_comes_from_the_wheel_with_its_browser_files(installed: Installed) -> None:
    assert installed.package.is_relative_to(installed.venv), installed.package
    assert not installed.package.is_relative_to(REPO)
    vendor = installed.package / "web" / "vendor"
    for name in ("cytoscape/dist/cytoscape.min.js", "d3-geo/dist/d3-geo.min.js",
                 "world-atlas/countries-110m.json", "cytoscape/LICENSE"):
        assert (vendor / name).is_file(), name
    response = httpx.get(f"{installed.url}/vendor/cytoscape/dist/cytoscape.min.js", timeout=10)
    assert response.status_code == 200 and len(response.content) > 100_000


def test_graph_page_renders_from_the_installed_package(wheel_tab: tuple[Tab, list[str]]) -> None:
    tab, bad = wheel_tab
    found = tab.page.request.get("/api/search", params={"q": "Canada", "limit": 20}).json()["entities"]
    canada = next(e["id"] for e in found if e["name"] == "Canada")
    page = tab.goto(f"/graph?entity={canada}", "body[data-graph-ready]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("body", "data-graph-ready") == "1"
    assert page.evaluate("typeof window.cytoscape") == "function"
    assert page.evaluate("typeof window.cytoscapeFcose") != "undefined"
    assert page.evaluate("window.fwGraph.cy.nodes().length") >= 2
    assert page.evaluate("window.fwGraph.cy.edges().length") >= 1
    assert bad == [] and tab.problems() == []


def test_map_page_renders_from_the_installed_package(wheel_tab: tuple[Tab, list[str]]) -> None:
    tab, bad = wheel_tab
    page = tab.goto("/map", "body[data-map-ready]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("body", "data-map-ready") == "1", page.inner_text("#map-status")
    assert page.evaluate("typeof window.d3.geoPath") == "function"
    assert page.evaluate("typeof window.topojson.feature") == "function"
    assert page.locator("path.country").count() > 100  # the Natural Earth outlines from world-atlas
    assert bad == [] and tab.problems() == []
