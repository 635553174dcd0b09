"""Fuzzing the extract sources (issue 13): generated corrupt records and files mixed with known-good ones,
read by `iter_documents` (what `frontwatch extract` and `ingest` call) and the chat reader of `screen`.
Whatever is generated: no traceback, one line per bad record or file naming it, every good one kept.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fuzz_strategies import (
    FUZZ,
    SENTENCE,
    deep,
    huge_number,
    json_scalar,
    json_value,
    line_text,
    one_line,
    surrogate,
)
from hypothesis import given
from hypothesis import strategies as st
from pdf_fixtures import make_text_pdf

from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.screen.parse import FORMATS, parse_bytes
from frontwatch.sources import iter_documents

# --- .jsonl (frontwatch/sources/jsonl.py) --------------------------------------------------------------

bad_jsonl_line = st.one_of(
    line_text.filter(lambda t: t.strip() and not t.strip().startswith("{")),  # not an object
    deep,
    huge_number.map(lambda n: f'{{"id": {n}, "text": "x"}}'),
    st.builds(
        lambda v: json.dumps({"id": v, "text": SENTENCE}),
        st.one_of(st.none(), st.booleans(), st.floats(), st.just(""), st.just("  "), st.lists(json_scalar)),
    ),
    st.builds(
        lambda v: json.dumps({"id": "x", "text": v}),
        st.one_of(
            st.none(),
            st.integers(),
            st.just(" \n "),
            st.lists(line_text),
            st.dictionaries(line_text, json_scalar),
        ),
    ),
    st.builds(
        lambda field, s: json.dumps({"id": "s", "text": SENTENCE, field: f"x{s}y"}),
        st.sampled_from(["id", "text", "title", "url", "date"]),
        surrogate,
    ),
    st.builds(
        lambda field, v: json.dumps({"id": "t", "text": SENTENCE, field: v}),
        st.sampled_from(["title", "url", "date"]),
        st.one_of(st.integers(), st.lists(json_scalar)),
    ),
    st.dictionaries(line_text.filter(lambda k: k not in ("id", "text")), json_value, max_size=3).map(
        json.dumps
    ),
    st.just(b'{"id": "u", "text": "bad \xff byte"}'),  # not UTF-8
)
good_jsonl = st.fixed_dictionaries(
    {"text": line_text.filter(str.strip)}, optional={"title": line_text, "url": line_text, "date": line_text}
)


@FUZZ
@given(st.lists(st.one_of(good_jsonl, bad_jsonl_line), min_size=1, max_size=12))
def test_jsonl_lines(records: list[dict[str, Any] | str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        lines, good, bad = [], [], []
        for n, record in enumerate(records, start=1):
            if isinstance(record, dict):
                good.append(f"good-{n}")
                lines.append(json.dumps({"id": f"good-{n}", **record}).encode())
            else:
                bad.append(n)
                lines.append(record if isinstance(record, bytes) else record.encode("utf-8"))
        path.write_bytes(b"\n".join(lines) + b"\n")
        items = list(iter_documents([path]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, SourceError)]
    assert [d.id for d in docs] == good
    for e in errors:
        one_line(str(e), f"{path}:line ")
    assert [int(str(e)[len(f"{path}:line ") :].split(":")[0]) for e in errors] == bad


# --- files in a folder: .txt, .md, .html, .pdf (frontwatch/sources) ------------------------------------

GOOD_FILES = {
    ".txt": lambda t: f"{t}\n\n{SENTENCE}\n".encode(),
    ".md": lambda t: f"# {t}\n\n{SENTENCE}\n".encode(),
    ".html": lambda t: (
        f"<html><head><title>{t}</title></head><body><article><p>{SENTENCE}</p>"
        f"<p>{SENTENCE}</p></article></body></html>".encode()
    ),
    ".pdf": lambda t: make_text_pdf([SENTENCE]),
}
BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "latin1.txt": "caf\xe9 said so\n".encode("latin-1"),
    "nul.md": b"abc\x00def\n",
    "utf16.txt": "\ufeffhello".encode("utf-16"),
    "binary.html": bytes(range(256)) * 4,
    "blank.md": b" \n\t\n",
    "empty.pdf": b"",
    "notapdf.pdf": b"%PDF-1.4\nnothing else",
    "image.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
}
markup = st.lists(
    st.one_of(
        line_text,
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "</div>",
                "<script>",
                "</script>",
                "<!--",
                "-->",
                "<![CDATA[",
                "&amp;",
                "&#0;",
                "&#xD800;",
                '<meta charset="utf-16">',
                '<meta charset="x-nonsense">',
                "<svg><title>",
                "<br/>",
                "<html>",
                "<body>",
                "<table><tr><td>",
                "<<>>",
                SENTENCE,
            ]
        ),
    ),
    max_size=20,
).map("".join)


def _mangle(data: bytes, cuts: list[int]) -> bytes:
    """A PDF truncated or with bytes overwritten: as a disk error or a hostile author might leave it."""
    out = bytearray(data)
    for cut in cuts:
        if cut < 0:
            del out[len(out) + cut * 7 :]
        elif out:
            out[cut % len(out)] = (out[cut % len(out)] + 97) % 256
    return bytes(out)


@FUZZ
@given(
    good=st.lists(
        st.tuples(st.sampled_from(sorted(GOOD_FILES)), line_text.filter(str.isprintable)), max_size=4
    ),
    bad=st.lists(st.sampled_from(sorted(BAD_FILES)), max_size=4, unique=True),
    odd_html=st.lists(markup, max_size=3),
    odd_pdf=st.lists(st.lists(st.integers(-20, 2_000), min_size=1, max_size=4), max_size=2),
)
def test_files_in_a_folder(
    good: list[tuple[str, str]], bad: list[str], odd_html: list[str], odd_pdf: list[list[int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for n, (suffix, title) in enumerate(good):
            (folder / f"good{n}{suffix}").write_bytes(GOOD_FILES[suffix](title.replace("<", " ")))
        for name in bad:
            (folder / f"bad-{name}").write_bytes(BAD_FILES[name])
        for n, page in enumerate(odd_html):
            (folder / f"odd{n}.html").write_bytes(page.encode("utf-8"))
        for n, cuts in enumerate(odd_pdf):
            (folder / f"oddpdf{n}.pdf").write_bytes(_mangle(make_text_pdf([SENTENCE]), cuts))
        items = list(iter_documents([folder]))
        named = {Path(i.source if isinstance(i, Document) else i.path).name for i in items}
        assert len(items) == len(named) == len(good) + len(bad) + len(odd_html) + len(odd_pdf)
        docs = {i.id for i in items if isinstance(i, Document)}
        assert {f"good{n}" for n in range(len(good))} <= docs
        assert not any(d.startswith("bad-") for d in docs)
        for item in items:
            if isinstance(item, SourceError):
                one_line(str(item), str(folder / ""))


# --- chat exports (frontwatch/screen/parse.py) ---------------------------------------------------------

chat_message = st.fixed_dictionaries(
    {"sender": line_text.filter(str.strip), "text": line_text.filter(str.strip)},
    optional={"time": st.one_of(line_text, st.integers(), st.floats())},
)


@FUZZ
@given(
    good=st.lists(chat_message, max_size=5),
    bad=st.lists(
        st.one_of(json_value, deep, surrogate.map(lambda s: {"sender": "Li", "text": s})), max_size=3
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_chat_exports(good: list[dict[str, Any]], bad: list[Any], fmt: str) -> None:
    body = json.dumps(good)
    if bad:
        body = (
            body[:-1]
            + ("," if good else "")
            + ",".join(b if isinstance(b, str) and b.startswith("[[") else json.dumps(b) for b in bad)
            + "]"
        )
    try:
        conversation = parse_bytes(body.encode(), fmt, "chat.json")
    except SourceError as exc:
        one_line(str(exc), "chat.json: ")
        return
    if fmt == "json" and not bad:
        assert len(conversation.messages) == len(good)
