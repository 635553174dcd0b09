"""Fuzzing the importers (issue 13) through `frontwatch import stix|ftm|csv`: generated corrupt records
mixed with known-good ones. Whatever is generated: no traceback, one line per bad record naming it, the
good records stored.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from fuzz_strategies import (
    FUZZ,
    SENTENCE,
    SLOW,
    deep,
    huge_number,
    json_scalar,
    json_value,
    line_text,
    one_line,
    surrogate,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from frontwatch.cli import app

# --- imports: STIX bundles and FollowTheMoney (frontwatch/importers), through `frontwatch import` ------


def _import(fmt: str, name: str, content: str) -> tuple[list[str], list[str]]:
    """Run `frontwatch import FMT` on `content` in a fresh store: (stderr lines, stored claim triples)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        db = f"sqlite:///{tmp}/fw.db"
        done = CliRunner().invoke(app, ["import", fmt, str(path), "--db", db])
        assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
        lines = done.stderr.splitlines()
        assert "Traceback" not in done.output
        listed = CliRunner().invoke(app, ["claims", "--json", "--db", db])
        claims = [f"{c['subject']}|{c['predicate']}|{c['object']}" for c in json.loads(listed.stdout or "[]")]
    for line in lines:
        one_line(line, "frontwatch: ")
    return [line for line in lines if line.startswith("frontwatch: skipped ")], claims


STIX_GOOD = [
    {"type": "identity", "id": "identity--csis", "name": "CSIS", "identity_class": "organization"},
    {"type": "identity", "id": "identity--wang", "name": "Wang Xiaoming", "identity_class": "individual"},
    {
        "type": "relationship",
        "id": "relationship--good",
        "relationship_type": "targets",
        "source_ref": "identity--wang",
        "target_ref": "identity--csis",
        "description": SENTENCE,
    },
]
stix_bad = st.one_of(
    json_scalar,
    st.lists(json_scalar, max_size=2),
    st.dictionaries(line_text, json_scalar, max_size=2).filter(
        lambda d: not (isinstance(d.get("type"), str) and isinstance(d.get("id"), str))
    ),
    st.builds(
        lambda ref: {
            "type": "relationship",
            "id": "relationship--BAD",
            "relationship_type": "funds",
            "source_ref": ref,
            "target_ref": "identity--csis",
        },
        st.one_of(line_text, st.integers(), st.none(), st.lists(line_text, max_size=1)),
    ),
    st.builds(
        lambda s: {
            "type": "relationship",
            "id": "relationship--BAD",
            "relationship_type": "funds",
            "source_ref": "identity--wang",
            "target_ref": "identity--csis",
            "x_frontwatch_stance": s,
        },
        st.one_of(line_text.filter(lambda s: s not in ("asserted", "alleged", "denied")), st.integers()),
    ),
    st.builds(lambda s: {"type": "identity", "id": "identity--BAD", "name": f"Li {s}"}, surrogate),
)
stix_odd = st.builds(
    lambda kind, key, value: {"type": kind, "id": f"{kind}--ODD", key: value},
    st.sampled_from(["identity", "threat-actor", "location", "report", "relationship", "opinion", "malware"]),
    st.sampled_from(
        [
            "name",
            "aliases",
            "x_frontwatch_aliases",
            "x_frontwatch_type",
            "identity_class",
            "sectors",
            "country",
            "object_refs",
            "external_references",
            "published",
            "description",
            "opinion",
            "x_frontwatch_gazetteer_id",
            "created_by_ref",
            "authors",
        ]
    ),
    json_value,
)
stix_odd_rel = st.builds(
    lambda key, value: {
        "type": "relationship",
        "id": "relationship--ODD",
        "relationship_type": "supports",
        "source_ref": "identity--csis",
        "target_ref": "identity--wang",
        key: value,
    },
    st.sampled_from(
        [
            "x_frontwatch_evidence",
            "external_references",
            "description",
            "confidence",
            "x_frontwatch_tactic",
            "x_frontwatch_attributed_to",
            "created_by_ref",
        ]
    ),
    st.one_of(
        json_value,
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "sentence",
                        "stance",
                        "document",
                        "date",
                        "amount",
                        "confidence",
                        "attributed_to",
                        "description",
                        "external_id",
                        "source_name",
                    ]
                ),
                json_value,
            ),
            max_size=2,
        ),
    ),
)


@SLOW
@given(
    st.lists(
        st.one_of(
            stix_bad.map(lambda o: ("bad", o)),
            stix_odd.map(lambda o: ("odd", o)),
            stix_odd_rel.map(lambda o: ("odd", o)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.randoms(),
)
def test_stix_bundles(extra: list[tuple[str, Any]], rnd: Any) -> None:
    for k, (_, obj) in enumerate(extra):  # every generated record has its own id
        if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"].endswith(("BAD", "ODD")):
            obj["id"] += str(k)
    objects = list(STIX_GOOD) + [o for _, o in extra]
    rnd.shuffle(objects)
    bundle = json.dumps({"type": "bundle", "id": "bundle--1", "objects": objects})
    skipped, claims = _import("stix", "bundle.json", bundle)
    assert "Wang Xiaoming|targets|CSIS" in claims
    for kind, obj in extra:
        if kind == "bad":
            marker = (
                f"object {objects.index(obj) + 1} "
                if not isinstance(obj, dict)
                or not isinstance(obj.get("id"), str)
                or not isinstance(obj.get("type"), str)
                else obj["id"]
            )
            assert sum(marker in line for line in skipped) == 1, (marker, skipped)
    assert len(skipped) <= len(extra)


FTM_GOOD = [
    {"id": "p1", "schema": "Person", "properties": {"name": ["Wang Xiaoming"]}},
    {"id": "o1", "schema": "Organization", "properties": {"name": ["Friendship Association"]}},
    {"id": "d1", "schema": "Document", "properties": {"title": ["Report"], "fileName": ["report"]}},
    {
        "id": "l1",
        "schema": "UnknownLink",
        "properties": {
            "subject": ["p1"],
            "object": ["o1"],
            "role": ["funds"],
            "proof": ["d1"],
            "summary": [SENTENCE],
        },
    },
]
ftm_bad = st.one_of(
    line_text.filter(lambda t: t.strip() and not t.strip().startswith("{")),
    deep,
    huge_number,
    st.builds(lambda v: json.dumps(v), st.one_of(json_scalar, st.lists(json_scalar, max_size=2))),
    st.builds(
        lambda s: json.dumps({"id": "BAD", "schema": s}),
        st.one_of(st.sampled_from(["Spaceship", "Thing", "Interval"]), st.integers(), st.none()),
    ),
    st.builds(
        lambda p: json.dumps({"id": "BAD", "schema": "Person", "properties": p}),
        st.one_of(
            st.lists(json_scalar, min_size=1),
            st.dictionaries(
                line_text,
                st.one_of(json_scalar, st.lists(st.one_of(st.integers(), st.none()), min_size=1)),
                min_size=1,
            ),
        ),
    ),
    st.builds(
        lambda s: json.dumps({"id": "BAD", "schema": "Person", "properties": {"name": [f"x{s}"]}}), surrogate
    ),
    st.builds(
        lambda end: json.dumps(
            {
                "id": "BAD",
                "schema": "UnknownLink",
                "properties": {"subject": ["p1"], "object": [end], "role": ["funds"]},
            }
        ),
        line_text.filter(lambda e: e not in ("p1", "o1")),
    ),
)
ftm_odd = st.builds(
    lambda schema, key, values: json.dumps({"id": "ODD", "schema": schema, "properties": {key: values}}),
    st.sampled_from(
        [
            "Person",
            "Organization",
            "PublicBody",
            "Address",
            "Document",
            "Membership",
            "Payment",
            "UnknownLink",
            "Documentation",
            "Vessel",
        ]
    ),
    st.sampled_from(
        [
            "name",
            "keywords",
            "role",
            "description",
            "summary",
            "proof",
            "subject",
            "object",
            "date",
            "country",
            "classification",
            "fileName",
        ]
    ),
    st.lists(line_text, max_size=2),
)


@SLOW
@given(
    st.lists(
        st.one_of(ftm_bad.map(lambda o: ("bad", o)), ftm_odd.map(lambda o: ("odd", o))),
        min_size=1,
        max_size=6,
    ),
    st.randoms(),
)
def test_ftm_lines(extra: list[tuple[str, str]], rnd: Any) -> None:
    lines = [("good", json.dumps(e)) for e in FTM_GOOD] + extra
    rnd.shuffle(lines)
    skipped, claims = _import("ftm", "entities.ftm.json", "\n".join(line for _, line in lines) + "\n")
    assert "Wang Xiaoming|funds|Friendship Association" in claims
    bad_lines = [n for n, (kind, _) in enumerate(lines, start=1) if kind == "bad"]
    for n in bad_lines:
        hits = [s for s in skipped if f": line {n} " in s or f": line {n}:" in s or "BAD" in s]
        assert hits, (n, skipped)
    assert len(skipped) <= len(extra)


# --- tracker spreadsheets (frontwatch/importers/tracker_csv.py), through `frontwatch import csv` --------

TRACKER_MAPPING = """columns:
  id: ID
  date: Date
  accuser: Accuser
  actor: Actor
  target: Target
  method: Method
  description: Description
"""
HEADER = ["ID", "Date", "Accuser", "Actor", "Target", "Method", "Description"]
cell = st.one_of(
    line_text,
    st.sampled_from(
        [
            "",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "@SUM(A1)",
            "-2",
            "\t=1",
            "2024-13-45",
            "31/02/2020",
            "99999999999",
            "A; B;;",
            "China;\nRussia",
            'say "hi"',
            "a,b",
            "the the",
            "\u202eevil",
            "ＣＳＩＳ",
            "x" * 500,
        ]
    ),
)
tracker_odd_row = st.lists(cell, min_size=0, max_size=9).filter(lambda row: any(c.strip() for c in row))


@settings(FUZZ, max_examples=15)
@given(st.lists(st.one_of(st.none(), tracker_odd_row), min_size=1, max_size=5), st.randoms())
def test_tracker_rows(rows: list[list[str] | None], rnd: Any) -> None:
    import csv
    import io

    table = [
        [f"good-{n}", "2024-01-26", "CSIS", "Wang Xiaoming", "Canada", "intimidation", SENTENCE]
        if row is None
        else row
        for n, row in enumerate(rows)
    ]
    rnd.shuffle(table)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *table])
    with tempfile.TemporaryDirectory() as tmp:
        path, mapping = Path(tmp) / "tracker.csv", Path(tmp) / "mapping.yaml"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        mapping.write_text(TRACKER_MAPPING, encoding="utf-8")
        done = CliRunner().invoke(
            app, ["import", "csv", str(path), "--mapping", str(mapping), "--db", f"sqlite:///{tmp}/fw.db"]
        )
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    lines = done.stderr.splitlines()
    for line in lines:
        one_line(line, "frontwatch: ")
    summary = re.search(r"(\d+) new, (\d+) unchanged, (\d+) updated, (\d+) failed", lines[-1])
    assert summary is not None, lines
    new, unchanged, updated, failed = map(int, summary.groups())
    assert failed == len([s for s in lines if s.startswith("frontwatch: skipped ")])
    assert new + unchanged + updated + failed == len(table)  # every row is read, none dropped silently
    assert new >= rows.count(None)
