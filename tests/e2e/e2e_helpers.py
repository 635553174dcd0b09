"""Helpers for the browser tests: Debian's Chromium, a tab that records what went wrong on a page."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# a download is a whole export built on request: on a loaded 2-core CI machine it can take longer than a
# page's default 15 s
DOWNLOAD_MS = 45_000

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# --disable-dev-shm-usage: a container's small /dev/shm crashes renderers ("Target crashed")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = REPO / "test-output" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
ANALYST = ("analyst", "correct horse battery staple")
VIEWER = ("viewer", "viewer password 123")

# Collected before any page script runs (init scripts are not subject to the page's CSP).
WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '')));
"""


@dataclass
class Tab:
    """A page with what went wrong on it: console errors, uncaught exceptions and dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str, ready: str | None = None) -> Any:
        self.page.goto(path)
        if ready:
            self.page.wait_for_selector(ready, state="attached", timeout=15_000)
        return self.page

    def problems(self) -> list[str]:
        csp = self.page.evaluate("window.__cspViolations || []")
        return self.errors + [f"CSP violation: {v}" for v in csp]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def open_tab(browser: Any, base_url: str, state: dict[str, Any] | None, **options: Any) -> tuple[Any, Tab]:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, storage_state=state,
                                  accept_downloads=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Tab(page)
    page.add_init_script(WATCH_SCRIPT)
    page.on("console", lambda m: tab.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(f"page error: {e}"))

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, tab




@contextmanager
def serve_store(url: str, assets: Path) -> Iterator[str]:
    """The workbench on the store at `url`, served by uvicorn in a thread on a free loopback port."""
    import uvicorn

    from frontwatch.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(url, assets=assets), log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
