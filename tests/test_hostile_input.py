"""Hostile or broken input (issue 13, items 8 and 9): one line per bad record or file, never a
traceback, never unbounded memory or time.

The web tests run a server on 127.0.0.1 only (started here, stopped at teardown), so every fetch
passes ``allow_private=True``; no test connects anywhere else, and every wait is bounded.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from frontwatch.errors import SourceError
from frontwatch.importers import ftm
from frontwatch.model import Document
from frontwatch.screen.parse import read_conversation
from frontwatch.sources import iter_documents
from frontwatch.sources.web import fetch_url

PLAIN = b"Embassy named in report.\n\nThe embassy denied any role in the campaign.\n"


def _gzip_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built in pieces (never ``size`` bytes in memory)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * 1_000_000
    parts = [comp.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + comp.flush()


BOMB_SIZE = 100_000_000  # 100 MB of zeros, gzipped twice: about 1 KB on the wire
BOMB = gzip.compress(_gzip_zeros(BOMB_SIZE), 9)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, body: bytes, ctype: str = "text/plain; charset=utf-8",
              encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/bomb":
            self._send(BOMB, encoding="gzip, gzip")
        elif self.path == "/gzip2.txt":
            self._send(gzip.compress(gzip.compress(PLAIN)), encoding="gzip, gzip")
        elif self.path == "/deflate.txt":
            self._send(zlib.compress(PLAIN), encoding="deflate")
        elif self.path == "/raw-deflate.txt":
            comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            self._send(comp.compress(PLAIN) + comp.flush(), encoding="deflate")
        elif self.path == "/brotli.txt":
            self._send(b"\x0b\x02\x80hello\x03", encoding="br")
        elif self.path == "/corrupt.txt":
            self._send(b"\x1f\x8b\x08\x00garbage, not gzip at all", encoding="gzip")
        elif self.path == "/trickled-headers":
            # every header line arrives well within the per-read timeout; they end after 5 s
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
            self.wfile.flush()
            until = time.monotonic() + 5
            while time.monotonic() < until and not self.server.release.is_set():
                try:
                    self.wfile.write(b"X-Slow: a\r\n")
                    self.wfile.flush()
                except OSError:
                    return
                self.server.release.wait(0.05)
            self.wfile.write(b"Content-Length: %d\r\n\r\n%s" % (len(PLAIN), PLAIN))
        else:
            self.send_error(404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def _fetch_error(url: str, **kwargs: Any) -> SourceError:
    with pytest.raises(SourceError) as info:
        fetch_url(url, allow_private=True, **kwargs)
    err = info.value
    assert "\n" not in str(err) and str(err) == f"{url}: {err.reason}"
    return err


# --- item 9: decompression bombs and slow servers ------------------------------------------------

def test_double_gzip_bomb_stops_at_the_limit_without_inflating_it(base: str) -> None:
    tracemalloc.start()
    try:
        err = _fetch_error(f"{base}/bomb", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.reason == "response too large (over 1.0 MB)"
    assert peak < 20_000_000, f"peak {peak / 1e6:.0f} MB while decoding a bomb of {BOMB_SIZE / 1e6:.0f} MB"


def test_double_gzip_at_the_default_limit_stays_small(base: str) -> None:
    tracemalloc.start()
    try:
        err = _fetch_error(f"{base}/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.reason == "response too large (over 20.0 MB)"
    assert peak < 60_000_000, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("path", ["/gzip2.txt", "/deflate.txt", "/raw-deflate.txt"])
def test_compressed_bodies_are_read(base: str, path: str) -> None:
    doc = fetch_url(f"{base}{path}", allow_private=True)
    assert doc.text == PLAIN.decode()


def test_unknown_and_broken_encodings_are_one_line(base: str) -> None:
    err = _fetch_error(f"{base}/brotli.txt")
    assert err.reason == "unsupported content encoding 'br' (expected gzip or deflate)"
    err = _fetch_error(f"{base}/corrupt.txt")
    assert err.reason.startswith("could not decompress the response")


def test_trickled_headers_hit_one_overall_deadline(base: str) -> None:
    started = time.monotonic()
    err = _fetch_error(f"{base}/trickled-headers", timeout=0.3)
    elapsed = time.monotonic() - started
    assert err.reason == "timed out after 0.9 s (the whole download)"
    assert elapsed < 3, elapsed


@pytest.mark.parametrize("allow_private, reason", [
    (True, "could not connect: could not resolve host 'dead-resolver.example' (no answer within 0.3 s)"),
    (False, "could not resolve host 'dead-resolver.example' (no answer within 0.3 s)"),  # the address check
])
def test_dns_resolution_is_under_the_deadline(monkeypatch: pytest.MonkeyPatch, allow_private: bool,
                                              reason: str) -> None:
    """A resolver that never answers (getaddrinfo blocks: the socket library gives it no time limit)."""
    import socket

    real = socket.getaddrinfo

    def dead(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "dead-resolver.example":
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dead)
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch_url("http://dead-resolver.example/report", allow_private=allow_private, timeout=0.3)
    assert info.value.reason == reason
    assert time.monotonic() - started < 2.5


# --- item 8: lone surrogates and file names that are not UTF-8 -------------------------------------

def _items(*paths: Path) -> tuple[list[Document], list[SourceError]]:
    docs: list[Document] = []
    errors: list[SourceError] = []
    for item in iter_documents(list(paths)):
        (errors if isinstance(item, SourceError) else docs).append(item)
    return docs, errors


def _printable(errors: list[SourceError]) -> None:
    for err in errors:  # each one line that can be written anywhere, e.g. to a UTF-8 log
        assert "\n" not in str(err)
        str(err).encode("utf-8")
        json.dumps({"error": str(err)}, ensure_ascii=False).encode("utf-8")


def _assert_clean(docs: list[Document]) -> None:
    for doc in docs:
        json.dumps(doc.__dict__ if hasattr(doc, "__dict__") else str(doc), ensure_ascii=False,
                   default=str).encode("utf-8")
        for value in (doc.id, doc.text, doc.title, doc.url, doc.date, doc.source):
            if value is not None:
                value.encode("utf-8")


def test_lone_surrogate_in_a_jsonl_line_skips_that_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        '{"id": "a", "text": "CSIS investigated the consulate."}\n'
        '{"id": "b", "text": "bad \\ud800 text"}\n'
        '{"id": "c\\udfff", "text": "fine text"}\n'
        '{"id": "d", "text": "fine", "title": "\\udc80"}\n'
        '{"id": "e", "text": "The embassy denied it."}\n',
        encoding="utf-8",
    )
    docs, errors = _items(path)
    assert [d.id for d in docs] == ["a", "e"]
    assert [e.path for e in errors] == [f"{path}:line {n}" for n in (2, 3, 4)]
    assert errors[0].reason == "'text' is not valid Unicode (lone surrogate \\ud800 at character 4)"
    assert errors[1].reason.startswith("'id' is not valid Unicode (lone surrogate \\udfff")
    assert errors[2].reason.startswith("'title' is not valid Unicode")
    _printable(errors)
    _assert_clean(docs)


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that takes any bytes in a name")
def test_non_utf8_file_name_in_a_folder_is_skipped_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("The consulate denied it.\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xff.txt")
    try:
        with open(bad, "wb") as fh:
            fh.write(b"CSIS said so.\n")
    except OSError:
        pytest.skip("the file system refuses a name that is not UTF-8")
    docs, errors = _items(folder)
    assert [d.id for d in docs] == ["good"]
    assert len(errors) == 1
    assert str(errors[0]) == f"{folder}/bad\\xff.txt: file name is not valid UTF-8 (rename the file)"
    _printable(errors)
    _assert_clean(docs)


def test_lone_surrogate_in_ftm_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["Wang Xiaoming"]}}
    bad = {"id": "p2", "schema": "Person", "properties": {"name": ["Tony \ud800"]}}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    assert "\\ud800" in path.read_text(encoding="utf-8")
    with pytest.raises(SourceError) as info:
        ftm.read(path)
    assert str(info.value) == (
        f"{path}: line 2: a string is not valid Unicode (lone surrogate \\ud800 at character 5)")
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert [e.name for x in ftm.read(path) for e in x.entities] == ["Wang Xiaoming"]


def test_lone_surrogate_in_chat_json_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text('[{"sender": "Li", "text": "hello"},\n {"sender": "Wu", "text": "meet \\udc00 me"}]',
                    encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_conversation(path)
    assert str(info.value) == (
        f"{path}: message 2 (line 2) is not valid Unicode (lone surrogate \\udc00 at character 5)")


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that takes any bytes in a name")
def test_chat_file_name_not_utf8_is_one_line(tmp_path: Path) -> None:
    bad = os.path.join(os.fsencode(tmp_path), b"chat\xfe.txt")
    try:
        with open(bad, "wb") as fh:
            fh.write(b"Li: hello\nWu: hi\n")
    except OSError:
        pytest.skip("the file system refuses a name that is not UTF-8")
    with pytest.raises(SourceError) as info:
        read_conversation(os.fsdecode(bad))
    assert str(info.value) == f"{tmp_path}/chat\\xfe.txt: file name is not valid UTF-8 (rename the file)"


def test_extract_skips_the_bad_record_and_writes_the_rest(tmp_path: Path) -> None:
    """End to end: the run goes on, one line names the record, the output JSON is written."""
    src = tmp_path / "corpus.jsonl"
    src.write_text('{"id": "a", "text": "CSIS investigated Karan Brar in Toronto."}\n'
                   '{"id": "b", "text": "bad \\ud800 here. CSIS said."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).with_name("frontwatch")
    run = subprocess.run([str(exe), "extract", str(src), "--out", str(out)], capture_output=True,
                         text=True, timeout=300, cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr
    assert f"{src}:line 2: 'text' is not valid Unicode (lone surrogate \\ud800 at character 4)" in run.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in lines] == ["a"]


# --- item 12: deep nesting, huge ids, a full disk --------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
HUGE = "99999999999999999999999"
BUNDLE = {"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "identity", "id": "identity--a", "name": "CSIS"},
    {"type": "identity", "id": "identity--b", "name": "Wang Xiaoming", "identity_class": "individual"},
    {"type": "relationship", "id": "relationship--1", "relationship_type": "targets",
     "source_ref": "identity--b", "target_ref": "identity--a", "description": "Wang targeted CSIS."}]}


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from frontwatch.cli import app

    done = CliRunner().invoke(app, list(args))
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert "Traceback" not in done.output
    return done


@pytest.fixture
def small_db(tmp_path: Path) -> str:
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'small.db'}"
    assert _cli("import", "stix", str(bundle), "--db", db).exit_code == 0
    return db


def test_deeply_nested_json_is_one_line(tmp_path: Path, small_db: str) -> None:
    corpus = tmp_path / "deep.jsonl"
    corpus.write_text(DEEP + '\n{"id": "a", "text": "CSIS investigated Karan Brar."}\n', encoding="utf-8")
    items = list(iter_documents([corpus]))
    assert [str(i) for i in items if isinstance(i, SourceError)] == [
        f"{corpus}:line 1: invalid JSON ({TOO_DEEP})"]
    assert [i.id for i in items if isinstance(i, Document)] == ["a"]
    bundle = tmp_path / "deep.json"  # one JSON document: the whole file is one line
    bundle.write_text('{"type": "bundle", "id": "b", "objects": ' + DEEP + "}", encoding="utf-8")
    done = _cli("import", "stix", str(bundle), "--db", small_db)
    assert done.exit_code == 1 and done.stderr == (
        f"frontwatch: {bundle}: not JSON: {TOO_DEEP}\n")
    entities = tmp_path / "deep.ftm.json"  # JSON lines: that line is skipped, the next one imported
    person = {"id": "p9", "schema": "Person", "properties": {"name": ["Karan Brar"]}}
    entities.write_text(DEEP + "\n" + json.dumps(person) + "\n", encoding="utf-8")
    done = _cli("import", "ftm", str(entities), "--db", small_db)
    assert done.exit_code == 0 and done.stderr.splitlines() == [
        f"frontwatch: skipped {entities}: line 1 is not JSON ({TOO_DEEP})",
        f"frontwatch: {entities}: 1 new, 0 unchanged, 0 updated, 0 failed"]
    assert json.loads(_cli("stats", "--json", "--db", small_db).stdout)["claims"] == 1  # nothing else changed


@pytest.mark.parametrize("args, message", [
    (("entity", HUGE), f"no entity named '{HUGE}'"),
    (("entity", "merge", HUGE, "CSIS", "--by", "ana"), f"no entity named '{HUGE}'"),
    (("graph", "neighbors", HUGE), f"no entity named '{HUGE}'"),
    (("claims", "--about", HUGE), f"no entity named '{HUGE}'"),
    (("review", "claim", HUGE, "accepted", "--by", "ana"), f"no claim with id {HUGE}"),
    (("undo", HUGE, "--by", "ana"), f"no audit entry {HUGE}"),
    (("claims", "--limit", HUGE), "a number is too large (ids, limits and counts are at most 2147483647)"),
    (("audit", "--limit", HUGE), "a number is too large (ids, limits and counts are at most 2147483647)"),
], ids=lambda v: "-".join(v) if isinstance(v, tuple) else "")
def test_huge_ids_are_one_line(small_db: str, args: tuple[str, ...], message: str) -> None:
    done = _cli(*args, "--db", small_db)
    assert done.exit_code == 1 and done.stderr == f"frontwatch: {message}\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("export", "-f", "stix"), ("claims", "--json"), ("stats",)],
                         ids=lambda a: a[0])
def test_output_to_a_full_disk_is_one_line(small_db: str, args: tuple[str, ...]) -> None:
    exe = Path(sys.executable).with_name("frontwatch")
    with open("/dev/full", "w") as full:
        run = subprocess.run([str(exe), *args, "--db", small_db], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr == "frontwatch: cannot write standard output: No space left on device\n"


@pytest.mark.skipif(os.name != "posix", reason="needs RLIMIT_FSIZE")
def test_a_store_that_cannot_grow_stays_whole(tmp_path: Path, small_db: str) -> None:
    """A full disk, honestly: the import runs with a file-size limit just above the store's size, so the
    database's own writes fail (SQLite: disk I/O error). Each document is one line; the store stays whole."""
    import resource
    import sqlite3

    objects = list(BUNDLE["objects"])  # type: ignore[call-overload]
    for n in range(40):
        text = f"Report {n}. " + "Wang Xiaoming targeted CSIS again and again. " * 60
        objects.append({"type": "report", "id": f"report--{n}", "name": f"Report {n}", "description": text,
                        "published": "2024-01-01T00:00:00Z", "object_refs": ["identity--a", "identity--b"]})
    bundle = tmp_path / "many.json"
    bundle.write_text(json.dumps({**BUNDLE, "objects": objects}), encoding="utf-8")
    path = small_db.split("///", 1)[1]
    limit = os.path.getsize(path) + 16_384

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    exe = Path(sys.executable).with_name("frontwatch")
    run = subprocess.run([str(exe), "import", "stix", str(bundle), "--db", small_db], preexec_fn=cap,
                         capture_output=True, text=True, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.splitlines()
    assert all(line.startswith("frontwatch: ") for line in lines), lines
    summary = lines[-1]
    assert "failed" in summary and not summary.endswith(" 0 failed"), summary  # the limit was hit
    skipped = [line for line in lines if line.startswith("frontwatch: skipped ")]
    assert skipped and all("disk I/O error" in line or "full" in line for line in skipped), skipped
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = json.loads(_cli("stats", "--json", "--db", small_db).stdout)["documents"]
    new = int(summary.split(": ", 2)[-1].split(" new")[0])
    assert stored == 1 + new  # the bundle's first document and every one reported new, whole
