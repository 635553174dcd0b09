"""`frontwatch export` and `frontwatch import` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def fw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwatch", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize(("fmt", "name"), [("stix", "b.json"), ("misp", "m.misp.json"), ("ftm", "e.ftm.json"),
                                           ("gexf", "g.gexf"),
                                           ("graphml", "g.graphml"), ("jsonl", "n.jsonl"), ("csv", "csvdir")])
def test_export_every_format(example_store_url: str, tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / name
    done = fw("export", "--format", fmt, "-o", str(out), "--db", example_store_url)
    assert done.returncode == 0, done.stderr
    assert "entities" in done.stderr and "claims" in done.stderr
    if fmt == "csv":
        assert (out / "nodes.csv").stat().st_size > 0 and (out / "edges.csv").stat().st_size > 0
    else:
        assert out.stat().st_size > 100


def test_export_to_stdout_with_filters(example_store_url: str) -> None:
    done = fw("export", "--format", "jsonl", "--stance", "asserted", "--db", example_store_url)
    assert done.returncode == 0, done.stderr
    claims = [r for r in map(json.loads, done.stdout.splitlines()) if r.get("kind") == "claim"]
    assert claims and all(c["stance"] == "asserted" for c in claims)


def test_export_bad_format_is_a_usage_error(example_store_url: str) -> None:
    done = fw("export", "--format", "pdf", "--db", example_store_url)
    assert done.returncode == 2 and "unknown format 'pdf'" in done.stderr


def test_stix_round_trip_through_the_cli(example_store_url: str, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    assert fw("export", "--format", "stix", "-o", str(bundle), "--db", example_store_url).returncode == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = fw("import", "stix", str(bundle), "--db", fresh)
    assert done.returncode == 0, done.stderr
    assert " new," in done.stderr and "0 failed" in done.stderr
    again = tmp_path / "again.json"
    assert fw("export", "--format", "stix", "-o", str(again), "--db", fresh).returncode == 0
    kinds = lambda p: sorted(o["type"] for o in json.loads(p.read_text())["objects"])  # noqa: E731
    assert kinds(bundle).count("relationship") == kinds(again).count("relationship")


def test_import_tracker_csv_with_the_fiat_mapping(tmp_path: Path, pipeline: object) -> None:
    root = Path(__file__).resolve().parents[1]
    sample = root / "tests" / "fixtures" / "trackers" / "fiat_sample.csv"
    mapping = root / "frontwatch" / "data" / "mappings" / "dfrlab_fiat.yaml"
    db = f"sqlite:///{tmp_path / 'fiat.db'}"
    done = fw("import", "csv", str(sample), "--mapping", str(mapping), "--db", db)
    assert done.returncode == 0, done.stderr
    stats = json.loads(fw("stats", "--json", "--db", db).stdout)
    assert stats["documents"] >= 6 and stats["claims"] >= 6


def test_import_bad_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    done = fw("import", "stix", str(bad), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "bad.json" in done.stderr
