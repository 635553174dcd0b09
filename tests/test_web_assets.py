"""The pages' own files, without a browser: what the Content-Security-Policy forbids is not there, data
never goes in as HTML, every referenced asset exists, and the JavaScript parses."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "frontwatch" / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
SCRIPTS = sorted((WEB / "static").glob("*.js"))
PAGES = ["base", "search", "entity", "graph", "document", "review", "map", "timeline", "screen", "login"]


def test_every_page_has_a_template_and_a_module() -> None:
    names = {t.stem for t in TEMPLATES}
    assert set(PAGES) <= names
    for page in PAGES[1:-1]:
        assert (WEB / "static" / f"{page}.js").is_file(), page
    assert (WEB / "static" / "api.js").is_file() and (WEB / "static" / "app.css").is_file()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_follow_the_csp(template: Path) -> None:
    html = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script in {template.name}: {tag}"
    assert not re.search(r"<style\b", html), "inline <style>"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "|safe" not in html and "autoescape false" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "nothing from another site"


def test_base_template_carries_the_csrf_token_and_the_nav() -> None:
    html = (WEB / "templates" / "base.html").read_text()
    assert '<meta name="csrf-token"' in html
    for path in ("/", "/graph", "/map", "/timeline", "/review", "/screen"):
        assert f'href="{path}"' in html


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_insert_data_as_text(script: Path) -> None:
    code = script.read_text()
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                   "new Function", "setAttribute('style'", "setAttribute('on", "createContextualFragment"):
        assert banned not in code, f"{script.name} uses {banned}"
    assert not re.search(r"setTimeout\(\s*['\"`]", code), "setTimeout with a string is eval"


def test_referenced_assets_exist() -> None:
    modules = REPO / "node_modules"
    for template in TEMPLATES:
        for ref in re.findall(r"(?:src|href)=\"(/(?:static|vendor)/[^\"]+)\"", template.read_text()):
            if ref.startswith("/static/"):
                assert (WEB / ref.removeprefix("/")).is_file(), f"{template.name}: {ref}"
            elif modules.is_dir():
                assert (modules / ref.removeprefix("/vendor/")).is_file(), f"{template.name}: {ref} (npm ci?)"
    for script in SCRIPTS:
        for ref in re.findall(r"from '\./([^']+)'", script.read_text()):
            assert (WEB / "static" / ref).is_file(), f"{script.name} imports {ref}"


def test_package_lock_pins_the_browser_libraries() -> None:
    import json

    lock = json.loads((REPO / "package-lock.json").read_text())
    wanted = {"cytoscape", "cytoscape-fcose", "world-atlas", "topojson-client", "d3-geo", "d3-array"}
    assert wanted <= set(lock["packages"][""]["dependencies"])
    assert all(f"node_modules/{name}" in lock["packages"] for name in wanted)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (.ci/run installs nodejs)")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script: Path, tmp_path: Path) -> None:
    module = tmp_path / f"{script.stem}.mjs"  # .mjs: parsed as an ES module by any node version
    module.write_text(script.read_text())
    done = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
