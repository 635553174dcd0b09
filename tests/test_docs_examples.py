"""Every example command in README.md and docs/*.md runs and prints what the page says it prints
(issue 14 item 7). A command's `# → TEXT` comment is text its output must contain; a command with no
such comment must succeed. The commands of one page run in order, in a fresh folder, as a reader types
them (through bash, `frontwatch` being this checkout's). The few that need a machine this test cannot
have are listed in NOT_HERE with the reason and the test that covers them instead."""

from __future__ import annotations

import os
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```[\w-]*\n(.*?)^```", re.S | re.M)
EXPECT = re.compile(r"#[^#]*?→\s*(.+?)\s*$")
PASSWORD = "correct horse battery staple"
# commands a test cannot run here: a prefix and why (and what covers it)
NOT_HERE = {
    "frontwatch ingest corpus/ --db postgresql://frontwatch@db.internal": "needs that PostgreSQL server "
    "and Dask scheduler; tests/test_distributed.py ingests on local Dask clusters and PostgreSQL",
    "frontwatch serve --db postgresql://fw@db/frontwatch": "needs that PostgreSQL server; "
    "tests/test_server_hardening.py serves on other addresses",
    ".venv/bin/frontwatch extract ../shared/corpus/seeds": "the seeds and their gold records are in the "
    "project workspace, not the repository; tests/test_seed_quality.py scores them when present",
}
# the pages' other shell commands (set-up, the suite, benchmarks, a cluster's processes): not frontwatch
# examples with an output to check here; each with where it is exercised
OTHER_COMMANDS = {
    "sudo apt-get install": "system set-up; .ci/run installs the same packages on a fresh machine",
    "make demo": "ingests examples/corpus and serves it: the README's ingest example and web.md's serve "
    "example run here",
    "make test": "the whole suite, this test included",
    "make dist": "tests/e2e/test_wheel.py builds the wheel and serves from it",
    "make train": "retrains the claim model for minutes; tests/test_claim_model.py trains on a sample",
    "python3 ../shared/eval/score.py": "the gold records are in the project workspace; "
    "tests/test_seed_quality.py scores the seeds when present",
    "dask scheduler": "a Dask cluster's own processes; tests/test_distributed.py starts local clusters",
    "dask worker": "a Dask cluster's own processes; tests/test_distributed.py starts local clusters",
    "python benchmarks/screen_quality.py": "a benchmark; tests/test_screen.py checks the same corpus",
    "python -m pytest tests/test_screen.py": "part of the suite",
}
COMMAND_WORDS = re.compile(r"(sudo|make|python3?|dask|bash|sh|curl|pip|npm) ")


def other_commands(page: Path) -> list[str]:
    """The shell command lines of a page's code blocks that do not run frontwatch."""
    return [line.strip() for block in FENCE.findall(page.read_text(encoding="utf-8"))
            for line in block.splitlines() if COMMAND_WORDS.match(line.strip())]


@dataclass
class Example:
    page: str
    command: str
    expect: str | None


def examples(page: Path) -> list[Example]:
    """The frontwatch commands of a page's code blocks (continuation lines joined); a synopsis with
    placeholders (PATH..., [--option]) is a usage line, not an example."""
    out = []
    for block in FENCE.findall(page.read_text(encoding="utf-8")):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
            text = line.strip()
            runs = re.match(r"(\.venv/bin/)?frontwatch ", text) or "| frontwatch " in text
            if not runs or "..." in text.split("#")[0] or re.search(r"\[--", text):
                continue
            found = EXPECT.search(text)
            out.append(Example(page.name, text, found.group(1) if found else None))
    return out


ALL = [ex for page in PAGES for ex in examples(page)]


def test_the_pages_have_examples() -> None:
    names = {ex.page for ex in ALL}
    assert {"README.md", "store.md", "web.md"} <= names
    assert any("claims --about" in ex.command and ex.expect for ex in ALL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(command: str, cwd: Path, env: dict[str, str]) -> str:
    """Start `frontwatch serve` as documented (on a free port) and fetch /api/health."""
    port = _free_port()
    argv = [sys.executable, "-m", "frontwatch", *shlex.split(command, comments=True)[1:], "--port", str(port)]
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"{command}: no answer on port {port}")
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    return output


def run_page(page: str, cwd: Path) -> None:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PASSWORD": PASSWORD, "FRONTWATCH_USER": "ana"}
    env.pop("FRONTWATCH_DB", None)
    shim = f'frontwatch() {{ {shlex.quote(sys.executable)} -m frontwatch "$@"; }}\n'
    for ex in [e for e in ALL if e.page == page]:
        reason = next((why for prefix, why in NOT_HERE.items() if ex.command.startswith(prefix)), None)
        if reason:
            print(f"not run here: {ex.command} ({reason})")
            continue
        if ex.command.startswith("frontwatch serve"):
            output = _serve(ex.command, cwd, env)
        else:
            done = subprocess.run(["bash", "-c", shim + ex.command], cwd=cwd, env=env, capture_output=True,
                                  text=True, timeout=600, input=f"{PASSWORD}\n{PASSWORD}\n")
            output = done.stdout + done.stderr
            assert done.returncode == 0, f"{page}: `{ex.command}` exited {done.returncode}:\n{output}"
        assert "Traceback" not in output, f"{page}: `{ex.command}`:\n{output}"
        if ex.expect:
            assert ex.expect in output, f"{page}: `{ex.command}` should print {ex.expect!r}:\n{output}"


def _checkout_links(cwd: Path) -> None:
    """Paths the examples name relative to the repository (examples/, tests/fixtures, data)."""
    for name in ("examples", "frontwatch", "tests"):
        (cwd / name).symlink_to(ROOT / name)


def test_readme_examples(tmp_path: Path) -> None:
    _checkout_links(tmp_path)
    run_page("README.md", tmp_path)


@pytest.mark.parametrize("page", sorted({ex.page for ex in ALL} - {"README.md"}))
def test_docs_examples(page: str, tmp_path: Path, example_store_url: str) -> None:
    """The docs' examples run on a store holding the example corpus (./frontwatch.db)."""
    _checkout_links(tmp_path)
    with sqlite3.connect(example_store_url.split("///", 1)[1]) as src, \
            sqlite3.connect(tmp_path / "frontwatch.db") as dst:
        src.backup(dst)
    run_page(page, tmp_path)


def test_every_skipped_example_exists() -> None:
    """NOT_HERE names commands the pages still show (no stale excuses)."""
    for prefix in NOT_HERE:
        assert any(ex.command.startswith(prefix) for ex in ALL), prefix


def test_every_other_command_is_accounted_for() -> None:
    """A shell command of the pages that is not a frontwatch example is listed with where it is
    exercised; and every listed one is still on a page."""
    shown = [line for page in PAGES for line in other_commands(page)]
    for line in shown:
        assert any(line.startswith(prefix) for prefix in OTHER_COMMANDS), f"not run by any test: {line}"
    for prefix in OTHER_COMMANDS:
        assert any(line.startswith(prefix) for line in shown), prefix
