"""`frontwatch screen`: the readers, bad input, who says what, timing, escalation, the labelled set and
the command line.  The model loads once per session (the detector caches it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from frontwatch.errors import SourceError
from frontwatch.screen import MAX_BYTES, screen_file, screen_text
from frontwatch.screen.advice import advice, countries
from frontwatch.screen.indicators import load_catalogue
from frontwatch.screen.parse import parse_bytes, read_conversation

FIXTURES = Path(__file__).parent / "fixtures" / "screen"

# --- readers ----------------------------------------------------------------------------------

PLAIN = """Exported from a professional network
Anna Lee: Hi Ben, I came across your profile.
Your work on ports is impressive.
Ben Ode: Thanks: who are you?
Anna Lee: A consultant.
"""
ANDROID = """12/03/2024, 14:05 - Messages and calls are end-to-end encrypted. Tap to learn more.
12/03/2024, 14:05 - Anna Lee: Hi Ben
second line
13/03/2024, 09:01 - Ben Ode: <Media omitted>
13/03/2024, 09:02 - Anna Lee added Carl
13/03/2024, 21:15 - Ben Ode: Hello: fine
"""
IOS = """[3/12/24, 2:05:07\u202fPM] Chat: \u200eMessages and calls are end-to-end encrypted.
[3/12/24, 2:05:09\u202fPM] Anna Lee: Hi Ben
[3/13/24, 9:01:00\u202fAM] Ben Ode: \u200eimage omitted
[3/13/24, 9:02:00\u202fAM] Ben Ode: Hello
"""
EML = """From: "Anna Lee" <anna@example.org>
To: ben@example.org
Subject: Hello
Date: Tue, 12 Mar 2024 14:05:00 +0000
Content-Type: text/html; charset="utf-8"

<p>Hi Ben,</p><p>I came across your profile.</p>
<div class="gmail_quote">On Mon, Ben wrote:<blockquote>old text</blockquote></div>
"""
MBOX = """From ben@example.org Wed Mar 13 09:00:00 2024
From: Ben Ode <ben@example.org>
Date: Wed, 13 Mar 2024 09:00:00 +0000

Thanks Anna.

On Tue, 12 Mar 2024, Anna Lee <anna@example.org> wrote:
> Hi Ben

From anna@example.org Tue Mar 12 14:05:00 2024
From: Anna Lee <anna@example.org>
Date: Tue, 12 Mar 2024 14:05:00 +0000

Hi Ben
"""
JSON = """[
  {"sender": "Anna Lee", "time": "2024-03-12T14:05:00Z", "text": "Hi Ben"},
  {"sender": "Ben Ode", "time": null, "text": "Hello"}
]"""


@pytest.mark.parametrize(("fmt", "raw", "expected"), [
    ("text", PLAIN, [("Anna Lee", 2,
                      "Hi Ben, I came across your profile.\nYour work on ports is impressive."),
                     ("Ben Ode", 4, "Thanks: who are you?"), ("Anna Lee", 5, "A consultant.")]),
    ("text", ANDROID, [("Anna Lee", 2, "Hi Ben\nsecond line"), ("Ben Ode", 6, "Hello: fine")]),
    ("whatsapp", IOS, [("Anna Lee", 2, "Hi Ben"), ("Ben Ode", 4, "Hello")]),
    ("eml", EML, [("Anna Lee", 7, "Hi Ben,\n\nI came across your profile.")]),
    ("mbox", MBOX, [("Anna Lee", 14, "Hi Ben"), ("Ben Ode", 5, "Thanks Anna.")]),
    ("json", JSON, [("Anna Lee", 2, "Hi Ben"), ("Ben Ode", 3, "Hello")]),
], ids=["plain", "whatsapp-android", "whatsapp-ios", "eml-html", "mbox", "json"])
def test_readers(fmt: str, raw: str, expected: list[tuple[str, int, str]]) -> None:
    conv = parse_bytes(raw.encode("utf-8"), fmt, "sample")
    assert [(m.sender, m.line_no, m.text) for m in conv.messages] == expected


def test_times_are_read() -> None:
    android = parse_bytes(ANDROID.encode(), "text", "a").messages
    assert (android[0].time.day, android[0].time.month, android[1].time.hour) == (12, 3, 21)  # type: ignore[union-attr]
    ios = parse_bytes(IOS.encode(), "text", "i").messages  # month first (3/13), 12-hour clock
    assert (ios[0].time.month, ios[0].time.day, ios[0].time.hour) == (3, 12, 14)  # type: ignore[union-attr]
    mbox = parse_bytes(MBOX.encode(), "mbox", "m").messages
    assert mbox[0].time < mbox[1].time  # type: ignore[operator]  # date order, not file order


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.name != "labels.yaml"))
def test_every_fixture_parses(name: str) -> None:
    conv = read_conversation(FIXTURES / name)
    assert len(conv.senders) >= 1 and all(m.text and m.line_no >= 1 for m in conv.messages)


# --- bad input --------------------------------------------------------------------------------

BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n", "empty file"),
    "binary.txt": (b"\x00\x01\x02PK\x03\x04" * 50, "binary file"),
    "nospeaker.txt": (b"just some words\nwithout any speaker\n", "no messages found"),
    "latin1.txt": ("Ana: ol\u00e1".encode("latin-1"), "not UTF-8"),
    "notmbox.mbox": (b"Subject: hi\n\nno From_ line\n", "malformed mbox"),
    "noheaders.eml": (b"hello there, this is not an e-mail\n", "malformed e-mail"),
    "nofrom.eml": (b"Subject: hi\nTo: x@example.org\n\nbody\n", "no From header"),
    "broken.json": (b'[{"sender": "a", "text": ', "malformed JSON"),
    "object.json": (b'{"sender": "a", "text": "b"}', "expected a list"),
    "item.json": (b'[{"sender": "a"}]', "item 1 needs"),
    "notes.docx": (b"PK\x03\x04", "unsupported file type '.docx'"),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    out = {}
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    huge = folder / "huge.txt"
    with huge.open("wb") as fh:
        fh.write(b"Anna: " + b"x" * (MAX_BYTES + 10))
    out["huge.txt"] = huge
    return out


@pytest.mark.parametrize("name", [*BAD, "huge.txt"])
def test_bad_input_is_one_clear_error(bad_files: dict[str, Path], name: str) -> None:
    with pytest.raises(SourceError) as info:
        read_conversation(bad_files[name])
    message = str(info.value)
    assert name in message and "\n" not in message
    assert (BAD[name][1] if name in BAD else "too large") in message


def test_screen_text_errors() -> None:
    with pytest.raises(SourceError, match="empty"):
        screen_text("   ")
    with pytest.raises(SourceError, match="unknown format"):
        screen_text("Anna: hi", fmt="docx")
    with pytest.raises(ValueError, match="unknown country"):
        screen_text("Anna: hi", country="FR")


# --- who says what, timing, escalation --------------------------------------------------------

APPROACH_WORDS = ["We pay 2,000 dollars per short report on your ministry's policy.",
                  "Let's move to Telegram, it is easier.",
                  "Please keep this between us, no need to tell your manager."]


def _chat(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{who}: {text}" for who, text in lines) + "\n"


def test_only_the_approachers_words_count() -> None:
    by_approacher = screen_text(_chat([("Rita", "Hello Sam, I saw your profile."), ("Sam", "Hi Rita.")]
                                      + [("Rita", w) for w in APPROACH_WORDS]))
    by_target = screen_text(_chat([("Rita", "Hello Sam, I saw your profile."), ("Sam", "Hi Rita.")]
                                  + [("Sam", w) for w in APPROACH_WORDS]))
    assert by_approacher["level"] == "high" and by_approacher["approacher"] == "Rita"
    assert by_target["level"] in ("none", "low") and not by_target["alerting"]
    assert {f["id"] for f in by_target["not_counted"]} >= {"platform_switch", "secrecy_from_employer"}


def test_target_keeping_confidence_is_not_secrecy() -> None:
    result = screen_text(_chat([
        ("Marc", "Hi Lea, I'm a recruiter at Brightline. We have an analyst role, 60 $/hour. Interested?"),
        ("Lea", "Thanks for reaching out. My manager asked me to keep this confidential, don't tell anyone."),
        ("Marc", "Of course. The interview would be with the hiring manager next week.")]))
    assert result["approacher"] == "Marc"
    assert not [f for f in result["indicators"] if f["category"] == "secrecy"]
    assert result["level"] in ("none", "low")


def test_a_reply_cue_names_the_approacher() -> None:
    result = screen_text(_chat([("Tom", "Hi Ms. Lin, thanks for reaching out!"),
                                ("Grace", "Thank you. We pay 3,000 dollars per brief on your "
                                          "ministry's internal debates.")]))
    assert result["approacher"] == "Grace" and "thanks for reaching out" in result["approacher_reason"]


def _switch_at(position: int, total: int = 12) -> dict[str, Any]:
    filler = [("Rita", "How was your week?"), ("Sam", "Busy but fine, thanks.")] * total
    lines = filler[: total - 1]
    lines.insert(position, ("Rita", "Shall we continue on WhatsApp? It is easier for me."))
    return screen_text(_chat(lines))


def test_an_early_platform_switch_counts_more() -> None:
    early, late = _switch_at(2), _switch_at(10)
    (e,) = [f for f in early["indicators"] if f["id"] == "platform_switch"]
    (lt,) = [f for f in late["indicators"] if f["id"] == "platform_switch"]
    assert e["score"] > lt["score"] and "early" in e["note"] and "late" in lt["note"]


REQUESTS = ["Could you write a general overview of the public debate? We pay 500 dollars.",
            "Next, could you send the draft recommendations before they are published? We pay 2,000 dollars.",
            "Now we need the classified annex. We will pay 10,000 dollars."]


@pytest.mark.parametrize(("order", "grows"), [((0, 1, 2), True), ((2, 1, 0), False)],
                         ids=["growing", "shrinking"])
def test_escalation(order: tuple[int, ...], grows: bool) -> None:
    lines = [("Leo", "Hello Ravi, thanks for connecting.")]
    for k in order:
        lines += [("Leo", REQUESTS[k]), ("Ravi", "I see.")]
    result = screen_text(_chat(lines))
    found = [f for f in result["indicators"] if f["id"] == "escalation"]
    assert bool(found) == grows
    if grows:
        assert "grows" in found[0]["note"] and len(found[0]["evidence"]) >= 2


def test_platform_switch_paid_reports_and_secrecy_is_high() -> None:
    result = screen_text(_chat([("Nadia", "Hi Jonas, any paid writing? 2,000 euros per white paper."),
                                ("Jonas", "Maybe."), ("Nadia", "Telegram is easier for me: @nadia."),
                                ("Nadia", "We work discreetly, so keep this low-key.")]))
    assert result["level"] == "high"
    assert any("Think Before You Link" in r for r in result["reasons"])


def test_evidence_names_line_and_sender() -> None:
    result = screen_file(FIXTURES / "a12_casual_short.txt", country="ca")
    (switch,) = [f for f in result["indicators"] if f["id"] == "platform_switch"]
    assert switch["evidence"][0]["line"] == 3 and switch["evidence"][0]["sender"] == "Max"
    assert "telegram" in switch["evidence"][0]["excerpt"].lower()
    assert result["advice"]["country"] == "CA" and "CSIS" in result["advice"]["report_to"][0]["name"]


@pytest.mark.parametrize(("text", "indicator", "found"), [
    ("We will pay you in cash when we meet.", "unusual_payment", True),
    ("You can pay the rent in cash or by e-transfer.", "unusual_payment", False),
    ("Could you send the internal minutes before they are published?", "privileged_request", True),
    ("Confirm you will not share confidential or non-public information.", "privileged_request", False),
    ("Pls add my WeChat, more easy to talk.", "platform_switch", True),
    ("Let's keep the meeting on Tuesday.", "platform_switch", False),
    ("No need to tell ur boss about this.", "secrecy_from_employer", True),
    ("Don't hesitate to contact the team if you have questions.", "secrecy_from_employer", False),
    ("My client is in fact a senior official at the Ministry of Commerce.", "official_client", True),
    ("Our friends at the party tonight say hi.", "official_client", False),
    ("We offer 1,500 euros per white paper.", "paid_reports", True),
    ("The salary range is $120,000 and the job posting is on our careers page.", "paid_reports", False),
], ids=lambda v: v if isinstance(v, bool) else None)
def test_wording(text: str, indicator: str, found: bool) -> None:
    result = screen_text(_chat([("Rita", text), ("Sam", "OK.")]))
    assert (indicator in {f["id"] for f in result["indicators"]}) == found


# --- data -------------------------------------------------------------------------------------

def test_indicator_data_is_complete() -> None:
    cat = load_catalogue()
    assert len(cat.indicators) >= 10
    for ind in cat.indicators:
        assert ind.title and ind.description and ind.advisories and ind.weight > 0, ind.id
    assert all(m.weight < 0 for m in cat.mitigators)


def test_reporting_data_covers_every_country() -> None:
    assert set(countries()) >= {"CA", "US", "UK", "AU", "NZ"}
    for code in countries():
        for level in ("none", "low", "elevated", "high"):
            adv = advice(level, code)
            assert adv["summary"] and adv["steps"] and adv["report_to"]
            assert all(s["website"] for s in adv["report_to"])


# --- the labelled set -------------------------------------------------------------------------

def test_precision_and_recall_on_the_labelled_set() -> None:
    from frontwatch.screen.evaluation import evaluate

    report = evaluate(FIXTURES)
    approaches = report.tp + report.fn
    print(f"\nscreen: {len(report.outcomes)} conversations ({approaches} approaches): "
          f"precision {report.precision:.3f}, recall {report.recall:.3f}; "
          f"errors: {[o.file for o in report.errors]}")
    assert approaches >= 18 and len(report.outcomes) - approaches >= 18
    assert report.precision >= 0.9 and report.recall >= 0.9


# --- command line -----------------------------------------------------------------------------

def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "60"
    return subprocess.run([sys.executable, "-m", "frontwatch", "screen", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=240, check=False)


def test_cli_json_with_bad_files(bad_files: dict[str, Path]) -> None:
    good = [FIXTURES / "a02_subtle_white_papers.txt", FIXTURES / "b01_recruiter_linkedin.txt"]
    run = _cli(*good, *bad_files.values(), "--json", "--country", "uk")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [d["level"] for d in data] == ["high", "none"]
    assert data[0]["advice"]["country"] == "UK"
    lines = run.stderr.splitlines()
    assert len(lines) == len(bad_files) and "Traceback" not in run.stderr
    assert all(line.startswith("frontwatch: skipped ") for line in lines)
    assert all(any(name in line for line in lines) for name in bad_files)


def test_cli_text_and_exit_status(bad_files: dict[str, Path]) -> None:
    run = _cli(FIXTURES / "a13_reverse_first.txt")
    assert run.returncode == 0
    assert "level: HIGH" in run.stdout and "Grace Lin" in run.stdout and "Where to report" in run.stdout
    none_read = _cli(bad_files["empty.txt"], bad_files["broken.json"])
    assert none_read.returncode == 1 and "Traceback" not in none_read.stderr
    assert "no conversation could be read" in none_read.stderr
    assert _cli(FIXTURES / "a12_casual_short.txt", "--country", "FR").returncode == 2
