"""frontwatch.sources: every supported format, and every bad input as one clear line."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pdf_fixtures import make_blank_pdf, make_encrypted_pdf, make_text_pdf, truncate

import frontwatch.sources as sources
from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources import MAX_BYTES, SUPPORTED_SUFFIXES, iter_documents, load_file

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPECTED = "(expected .txt, .md, .html, .htm, .pdf or .jsonl)"
NO_TEXT_LAYER = "PDF has no text layer (scanned images?); run OCR first"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_one_line_error(err: object, path: Path | str, fragment: str) -> SourceError:
    """The message is one line, starts with the file name, and contains the reason."""
    assert isinstance(err, SourceError), err
    assert "\n" not in str(err)
    assert str(err).startswith(f"{path}"), str(err)
    assert fragment in err.reason, err.reason
    return err


def load_error(path: Path, fragment: str, **kwargs: Any) -> SourceError:
    """load_file raises it, and iter_documents yields exactly it."""
    with pytest.raises(SourceError) as info:
        load_file(path, **kwargs)
    assert_one_line_error(info.value, path, fragment)
    items = list(iter_documents([path], **kwargs))
    assert len(items) == 1
    return assert_one_line_error(items[0], path, fragment)


def test_constants() -> None:
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"}) == SUPPORTED_SUFFIXES
    assert MAX_BYTES == 20_000_000


# --- good inputs -------------------------------------------------------------------------

def test_txt_strips_bom_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path / "brief.txt", b"\xef\xbb\xbfEmbassy accused\r\n\r\nIt denied it.\r\n")
    assert load_file(path) == [
        Document(id="brief", text="Embassy accused\n\nIt denied it.\n", title="Embassy accused",
                 source=str(path))
    ]


@pytest.mark.parametrize(("content", "title"), [
    ("\n\n  Short headline  \nBody.", "Short headline"),
    ("x" * 199 + "\nBody.", "x" * 199),
    ("x" * 200 + "\nBody.", None),  # a long first line is a paragraph
])
def test_txt_title_is_short_first_line(tmp_path: Path, content: str, title: str | None) -> None:
    assert load_file(write(tmp_path / "a.txt", content))[0].title == title


@pytest.mark.parametrize(("content", "title"), [
    ("Intro line\n\n# The Title\n\ntext", "The Title"),
    ("```sh\n# a shell comment\n```\n# Real #\n", "Real"),
    ("## Sub\n#NoSpace\n   # Indented\n", "Indented"),
    ("Short first line\n\nNo heading at all.", None),  # no first-line fallback for .md
])
def test_md_title_from_first_h1(tmp_path: Path, content: str, title: str | None) -> None:
    doc = load_file(write(tmp_path / "note.md", content))[0]
    assert (doc.id, doc.title, doc.text) == ("note", title, content)


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_html_article_text_and_metadata(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    shutil.copy(FIXTURES / "article.html", path)
    [doc] = load_file(path)
    assert doc.id == "page" and doc.source == str(path)
    assert doc.title == "Consulate accused of monitoring diaspora"
    assert doc.url == "https://news.example.org/2024/03/consulate-monitoring"
    assert doc.date == "2024-03-15"
    assert "photographed participants at a peaceful demonstration" in doc.text
    assert "COMMENT-MARKER" not in doc.text  # include_comments=False
    assert "Copyright" not in doc.text


def test_html_title_falls_back_to_title_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: {"text": "Body.", "title": None})
    path = write(tmp_path / "p.html", "<html><head><title> A &amp; B\n</title></head><body>x</body></html>")
    assert load_file(path)[0].title == "A & B"


def test_html_honours_declared_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body><article>'
            + "<p>Le caf\u00e9 du consulat a servi de lieu de rencontre pour les informateurs.</p>" * 5
            + "</article></body></html>")
    [doc] = load_file(write(tmp_path / "latin.html", page.encode("cp1252")))
    assert "Le caf\u00e9 du consulat" in doc.text


def test_pdf_pages_joined_with_blank_line(tmp_path: Path) -> None:
    data = make_text_pdf(["Page one (first)\nsecond line", "Page two"], title="Annual Report")
    [doc] = load_file(write(tmp_path / "report.pdf", data))
    assert doc == Document(id="report", text="Page one (first)\nsecond line\n\nPage two",
                           title="Annual Report", source=str(tmp_path / "report.pdf"))


@pytest.mark.parametrize(("created", "date"), [
    ("D:20230417093000Z", "2023-04-17"),
    ("D:20190102", "2019-01-02"),
    ("D:2023-garbage", None),  # a broken date costs the date, never the text
    ("D:18500101", None),  # no report was made into a PDF then
    (None, None),
])
def test_pdf_creation_date_is_the_published_date(tmp_path: Path, created: str | None,
                                                 date: str | None) -> None:
    [doc] = load_file(write(tmp_path / "dated.pdf", make_text_pdf(["Report text."], created=created)))
    assert doc.text == "Report text." and doc.date == date


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    [doc] = load_file(write(tmp_path / "locked.pdf", make_encrypted_pdf(user_password="")))
    assert doc.text == "Confidential text."


def test_jsonl_records(tmp_path: Path) -> None:
    lines = ['{"id": "a1", "text": "First.\\r\\nMore.", "title": "T", "url": "https://x.org",'
             ' "date": "2024"}', "", '{"id": 7, "text": "Second.", "title": null, "extra": [1]}', ""]
    path = write(tmp_path / "corpus.jsonl", b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    assert load_file(path) == [
        Document(id="a1", text="First.\nMore.", title="T", url="https://x.org", date="2024",
                 source=str(path)),
        Document(id="7", text="Second.", source=str(path)),
    ]


def test_jsonl_one_bad_line_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    shutil.copy(FIXTURES / "records.jsonl", path)
    items = list(iter_documents([path]))
    assert [d.id for d in items if isinstance(d, Document)] == ["r1", "2", "r4"]
    errors = [e for e in items if isinstance(e, SourceError)]
    assert len(errors) == 1 and str(errors[0]) == f"{path}:line 3: missing 'text'"
    assert items[0] == Document(id="r1", text="The embassy denied the report.", title="Embassy denial",
                                url="https://example.org/r1", date="2024-01-02", source=str(path))
    with pytest.raises(SourceError, match="line 3: missing 'text'"):
        load_file(path)  # load_file is strict: the first bad line raises


def test_folder_is_walked_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.md", "a/y/x.txt", "c.jsonl", ".hidden.txt", ".git/HEAD.txt",
                 "notes.docx", "image.png", "README"]:
        write(tmp_path / name, '{"id": "j", "text": "J"}' if name.endswith(".jsonl") else f"{name} text")
    items = list(iter_documents([tmp_path]))
    assert all(isinstance(d, Document) for d in items)
    assert [d.source for d in items if isinstance(d, Document)] == [
        str(tmp_path / n) for n in ["a/y/x.txt", "a/z.md", "b.txt", "c.jsonl"]
    ]


@pytest.mark.parametrize("names", [[], ["photo.jpg", ".secret.txt", "sub/.x.md", "table.csv"]])
def test_folder_without_supported_files_yields_nothing(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        write(tmp_path / name, "content")
    assert list(iter_documents([tmp_path])) == []


def test_errors_do_not_stop_the_run(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Fine.")
    items = list(iter_documents([tmp_path / "missing.txt", write(tmp_path / "e.md", b""), good]))
    assert [type(i) for i in items] == [SourceError, SourceError, Document]


# --- bad inputs ----------------------------------------------------------------------------

LATIN1 = b"a" * 1234 + b"\xe9t\xe9"
UTF8_MSG = "not UTF-8 text (invalid byte 0xe9 at offset 1234); convert it to UTF-8"
Builder = Callable[[Path], Path]


def file(name: str, data: bytes | str) -> Builder:
    return lambda d: write(d / name, data)


BAD_INPUTS: list[tuple[str, Builder, str]] = [
    *[(f"empty{s}", file(f"empty{s}", b""), "empty file") for s in sorted(SUPPORTED_SUFFIXES)],
    *[(f"blank{s}", file(f"blank{s}", " \r\n\t\n "), "no text") for s in (".txt", ".md", ".html", ".jsonl")],
    *[(f"nul{s}", file(f"nul{s}", b"PK\x03\x04\x00\x00text"), "binary file, not text")
      for s in (".txt", ".md", ".html", ".jsonl")],
    ("controls", file("ctl.txt", bytes(range(1, 8)) * 50 + b"text"), "binary file, not text"),
    ("utf16", file("u16.txt", "Hello".encode("utf-16")), "not UTF-8 text (UTF-16 byte-order mark)"),
    *[(f"latin1{s}", file(f"latin1{s}", LATIN1), UTF8_MSG) for s in (".txt", ".md", ".html")],
    ("unsupported", file("table.xyz", "a,b"), f"unsupported file type '.xyz' {EXPECTED}"),
    ("no-suffix", file("Makefile", "all:"), f"unsupported file type (no extension) {EXPECTED}"),
    ("missing", lambda d: d / "nope.txt", "no such file or directory"),
    ("missing-dir", lambda d: d / "no" / "such" / "dir", "no such file or directory"),
    ("blank-pdf", file("scan.pdf", make_blank_pdf()), NO_TEXT_LAYER),
    ("truncated-pdf", file("cut.pdf", truncate(make_text_pdf(["Some text"] * 3))),
     "damaged PDF: Stream has ended unexpectedly"),
    ("no-eof-pdf", file("noeof.pdf", make_text_pdf(["Text"])[:-7]), "damaged PDF: "),
    ("garbage-pdf", file("junk.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4), "damaged PDF: "),
    ("not-pdf", file("fake.pdf", "just text"), "not a PDF file (no %PDF- header)"),
    ("encrypted-pdf", file("secret.pdf", make_encrypted_pdf("pw")), "encrypted PDF"),
    ("html-no-body", file("shell.html", "<html><head><title>Only a title</title></head><body></body></html>"),
     "no main text found in the HTML page"),
]


@pytest.mark.parametrize(("builder", "fragment"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_one_clear_line(tmp_path: Path, builder: Builder, fragment: str) -> None:
    load_error(builder(tmp_path), fragment)


def test_non_utf8_message_is_exact(tmp_path: Path) -> None:
    path = write(tmp_path / "old.txt", LATIN1)
    assert str(load_error(path, UTF8_MSG)) == f"{path}: {UTF8_MSG}"


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    line = b"The consulate denied every allegation in the report.\n"  # 53 bytes
    with path.open("wb") as fh:
        fh.write(line * (50 * 1024 * 1024 // len(line)) + b"x" * (50 * 1024 * 1024 % len(line)))
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read a file that is too large"))
    err = load_error(path, "file too large (52.4 MB; limit 20.0 MB)")
    assert err.reason == "file too large (52.4 MB; limit 20.0 MB)"


def test_max_bytes_is_overridable(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "x" * 2000)
    load_error(path, "file too large (2.0 KB; limit 1.0 KB)", max_bytes=1000)
    assert load_file(path, max_bytes=2000)[0].text == "x" * 2000


def test_directory_given_to_load_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        load_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    load_error(tmp_path / "pipe.txt", "not a regular file")


@pytest.mark.parametrize(("line", "reason"), [
    ('{"id": "a", "text": "x"', "invalid JSON (Expecting ',' delimiter at column 24)"),
    ('["a", "x"]', "expected a JSON object, got array"),
    ('{"text": "x"}', "missing 'id'"),
    ('{"id": true, "text": "x"}', "'id' must be a non-empty string or an integer, got boolean"),
    ('{"id": " ", "text": "x"}', "'id' must be a non-empty string or an integer, got string"),
    ('{"id": 1.5, "text": "x"}', "'id' must be a non-empty string or an integer, got number"),
    ('{"id": "a"}', "missing 'text'"),
    ('{"id": "a", "text": "  "}', "'text' must be a non-empty string"),
    ('{"id": "a", "text": 5}', "'text' must be a non-empty string"),
    ('{"id": "a", "text": "x", "date": 2024}', "'date' must be a string, got number"),
    ('{"id": "ok", "text": "dup"}', "duplicate id 'ok' (first on line 1)"),
])
def test_jsonl_bad_line(tmp_path: Path, line: str, reason: str) -> None:
    body = '{"id": "ok", "text": "fine"}\n' + line + '\n{"id": "z", "text": "also fine"}\n'
    path = write(tmp_path / "c.jsonl", body)
    items = list(iter_documents([path]))
    assert [getattr(i, "id", None) for i in items] == ["ok", None, "z"]
    assert str(items[1]) == f"{path}:line 2: {reason}"


def test_jsonl_non_utf8_line(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", b'{"id": "ok", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n')
    items = list(iter_documents([path]))
    assert isinstance(items[0], Document)
    assert str(items[1]) == (
        f"{path}:line 2: not UTF-8 text (invalid byte 0xe9 at offset 53); convert it to UTF-8"
    )


def test_unexpected_library_error_is_translated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(path: Path, data: bytes) -> Document:
        raise KeyError("internal")

    monkeypatch.setitem(sources._SINGLE, ".txt", boom)
    load_error(write(tmp_path / "a.txt", "x"), "could not read file (KeyError: 'internal')")


@pytest.mark.parametrize("builder", [file("cut.pdf", truncate(make_text_pdf(["Text"] * 3))),
                                     file("noeof.pdf", make_text_pdf(["Text"])[:-7]),
                                     file("shell.html", "<html><body></body></html>")],
                         ids=["truncated-pdf", "no-eof-pdf", "empty-html"])
def test_libraries_stay_quiet(tmp_path: Path, builder: Builder, caplog: pytest.LogCaptureFixture,
                              capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    before = {n: logging.getLogger(n).level for n in ("pypdf", "trafilatura")}
    with pytest.raises(SourceError):
        load_file(builder(tmp_path))
    assert [r for r in caplog.records if r.name.startswith(("pypdf", "trafilatura", "htmldate"))] == []
    assert capfd.readouterr().err == ""
    assert {n: logging.getLogger(n).level for n in before} == before  # levels restored
