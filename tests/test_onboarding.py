"""Onboarding (issue 14 item 7): predicates, stances and tactics explained in docs/vocabulary.md (generated
from the vocabularies) and in --help; the read-only banner says how to create a user; the screen page
says what it checks and offers the countries the CLI and the advice data know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_helpers import client

from frontwatch.cli import app
from frontwatch.cli.screen import Country
from frontwatch.graph.filters import TACTICS
from frontwatch.model import PREDICATES, STANCES
from frontwatch.screen.advice import countries, load_reporting
from frontwatch.vocab import load_vocabulary
from frontwatch.vocab_docs import predicate_meanings, stance_meanings, tactic_meanings, vocabulary_markdown

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_vocabulary_page_is_generated_from_the_data() -> None:
    page = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert page == vocabulary_markdown(), "run: python -m frontwatch.vocab_docs > docs/vocabulary.md"
    for word in (*PREDICATES, *STANCES, *TACTICS):
        assert f"| `{word}` |" in page, word


def test_every_word_has_a_meaning_and_no_meaning_is_stale() -> None:
    vocab = load_vocabulary()
    assert set(vocab.predicates["meanings"]) == set(PREDICATES) == set(vocab.predicates["predicates"])
    assert set(vocab.tactics["meanings"]) == set(TACTICS)
    assert set(vocab.stance["meanings"]) == set(STANCES)
    used = {t for allowed in vocab.tactics["allowed"].values() for t in allowed or []}
    assert used <= set(TACTICS)
    assert all(m["meaning"] and m["wording"] for m in predicate_meanings().values())
    assert all(tactic_meanings().values()) and all(stance_meanings().values())


def test_help_explains_predicates_stances_and_tactics() -> None:
    done = CliRunner().invoke(app, ["claims", "add", "--help"], env={"COLUMNS": "4000"})
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    for name, spec in predicate_meanings().items():
        assert f"{name}: {' '.join(spec['meaning'].split())[:40]}" in text, name
    for name in TACTICS:
        assert f"{name}: " in text, name
    for name in STANCES:
        assert f"{name}: " in text, name


def test_read_only_banner_says_how_to_create_a_user(tmp_path: Path) -> None:
    page = client(f"sqlite:///{tmp_path / 'fw.db'}").get("/")
    assert page.status_code == 200
    banner = re.search(r'id="read-only-banner">(.*?)</span>', page.text, re.S)
    assert banner and "frontwatch users add NAME --role analyst" in banner.group(1)


def test_screen_page_says_what_it_checks_and_lists_the_clis_countries(tmp_path: Path) -> None:
    page = client(f"sqlite:///{tmp_path / 'fw.db'}").get("/screen").text
    offered = re.findall(r'<option value="([A-Z]{2})">([^<]+)</option>', page)
    assert [code for code, _ in offered] == [c.value for c in Country] == countries()
    names = {code: str(entry["name"]) for code, entry in load_reporting()["countries"].items()}
    assert dict(offered) == names
    assert "intelligence recruitment" in page and "transnational repression" not in page
    for service in ("CSIS", "MI5", "FBI", "ASIO", "NZSIS"):
        assert service in page


def _commands(cmd: object, path: list[str]) -> list[tuple[str, object]]:
    subs = getattr(cmd, "commands", None)
    if subs is None:
        return [(" ".join(path), cmd)]
    return [found for name, sub in subs.items() for found in _commands(sub, [*path, name])]


def test_every_command_has_a_docstring_and_a_line_in_cli_md() -> None:
    import typer

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands(typer.main.get_command(app), [])
    assert {"claims add", "claims edit", "notes", "claims list"} <= {name for name, _ in commands}
    for name, cmd in commands:
        assert (getattr(cmd, "help", None) or "").strip(), f"frontwatch {name} has no docstring"
        group_default = name.endswith((" list", " show")) and f"`frontwatch {name.rsplit(' ', 1)[0]}" in doc
        assert f"`frontwatch {name}" in doc or f"`{name} " in doc or group_default, \
            f"frontwatch {name} has no line in docs/cli.md"
