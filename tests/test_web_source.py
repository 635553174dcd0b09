"""frontwatch.sources.web: fetching http(s) URLs from a real local server, every failure one line.

The server listens on 127.0.0.1 only, so every fetch of it passes ``allow_private=True``, except
the tests that check that loopback is refused.  No test connects anywhere else.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pdf_fixtures import make_text_pdf

import frontwatch.sources.web as web
from frontwatch.errors import SourceError
from frontwatch.model import Document, Extraction
from frontwatch.sources import load_file
from frontwatch.sources.web import fetch_url, is_private_address, url_slug

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Consulate accused of monitoring diaspora | Example Monitor</title>
<meta property="og:title" content="Consulate accused of monitoring diaspora">
<meta property="og:site_name" content="Example Monitor">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Consulate accused of monitoring diaspora</h1>
<p>The consulate in Rotterdam was accused on Tuesday of monitoring members of the diaspora who
attended a protest outside the building, according to three people who were there.</p>
<p>The foreign ministry denied the report and said the consulate only provides services to its
citizens abroad.  Police said they were investigating the complaints.</p>
</article>
<footer>Copyright Example Monitor. All rights reserved.</footer>
</body></html>
"""
PLAIN = "Embassy named in report\n\nThe embassy denied any role in the campaign.\n"
LATIN1 = "Caf\u00e9 owner questioned.\n"
PDF = make_text_pdf(["Annual report on interference", "Second page."], title="Annual report 2024")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BIG_BODY = b"x" * 5000
REFUSED = "refusing to fetch a private or local address (127.0.0.1); pass --allow-private-urls to allow it"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass

    def _send(self, status: int, ctype: str | None, body: bytes, length: int | None = None,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/news/article.html":
            self._send(200, "text/html; charset=utf-8", ARTICLE.encode())
        elif path == "/note.txt":
            self._send(200, "text/plain; charset=utf-8", PLAIN.encode())
        elif path == "/latin1.txt":
            self._send(200, "text/plain; charset=iso-8859-1", LATIN1.encode("latin-1"))
        elif path == "/report.pdf":
            self._send(200, "application/pdf", PDF)
        elif path == "/image.png":
            self._send(200, "image/png", PNG)
        elif path == "/redirect":
            self._send(302, None, b"", headers={"Location": "/news/article.html"})
        elif path == "/redirect-localhost":
            port = self.server.server_address[1]
            self._send(302, None, b"", headers={"Location": f"http://localhost:{port}/note.txt"})
        elif path == "/redirect-ftp":
            self._send(302, None, b"", headers={"Location": "ftp://files.example.org/report.pdf"})
        elif path == "/loop":
            self._send(302, None, b"", headers={"Location": "/loop"})
        elif path == "/declared-huge":  # says 20 MB + 1 byte; the client must not wait for it
            self._send(200, "text/plain", b"x" * 100, length=20_000_001)
        elif path == "/streamed-big":  # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(5):
                self.wfile.write(BIG_BODY[:1000])
                self.wfile.flush()
            self.close_connection = True
        elif path == "/slow":
            self.server.release.wait(5)  # set at teardown, so the server never waits long
            self._send(200, "text/plain", b"late\n")
        elif path == "/empty.txt":
            self._send(200, "text/plain", b"")
        else:
            self._send(404, "text/plain", b"not here\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()
        self.user_agents: list[str] = []


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture
def base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def fetch_error(url: str, fragment: str, **kwargs: Any) -> SourceError:
    """fetch_url raises a SourceError whose message is one line: the URL as given, then the reason."""
    with pytest.raises(SourceError) as info:
        fetch_url(url, **kwargs)
    err = info.value
    assert type(err) is SourceError
    assert "\n" not in str(err)
    assert str(err) == f"{url}: {err.reason}"
    assert err.path == url
    assert fragment in err.reason, err.reason
    return err


# --- documents --------------------------------------------------------------------------------------

def test_html_article(base: str, server: _Server) -> None:
    url = f"{base}/news/article.html"
    doc = fetch_url(url, allow_private=True)
    assert doc.id == "127.0.0.1-news-article.html"
    assert doc.url == url and doc.source == url
    assert doc.title == "Consulate accused of monitoring diaspora"
    assert doc.date == "2024-03-05"
    assert doc.publisher == "Example Monitor"
    assert "accused on Tuesday of monitoring members of the diaspora" in doc.text
    assert "The foreign ministry denied the report" in doc.text
    assert "All rights reserved" not in doc.text and "World" not in doc.text
    assert server.user_agents[-1].startswith("frontwatch/")


def test_plain_text_publisher_falls_back_to_host(base: str) -> None:
    url = f"{base}/note.txt"
    assert fetch_url(url, allow_private=True) == Document(
        id="127.0.0.1-note.txt", text=PLAIN, title="Embassy named in report", url=url, source=url,
        publisher="127.0.0.1",
    )


def test_plain_text_in_the_declared_charset(base: str) -> None:
    assert fetch_url(f"{base}/latin1.txt", allow_private=True).text == LATIN1


def test_pdf(base: str) -> None:
    doc = fetch_url(f"{base}/report.pdf", allow_private=True)
    assert doc.text == "Annual report on interference\n\nSecond page."
    assert doc.title == "Annual report 2024"
    assert doc.id == "127.0.0.1-report.pdf"
    assert doc.publisher == "127.0.0.1"


def test_redirect_gives_the_final_url(base: str) -> None:
    url = f"{base}/redirect"
    doc = fetch_url(url, allow_private=True)
    assert doc.url == f"{base}/news/article.html"
    assert doc.source == url
    assert doc.id == "127.0.0.1-news-article.html"
    assert doc.title == "Consulate accused of monitoring diaspora"


# --- failures ---------------------------------------------------------------------------------------

def test_http_error(base: str) -> None:
    err = fetch_error(f"{base}/missing", "HTTP 404 Not Found", allow_private=True)
    assert err.reason == "HTTP 404 Not Found"


def test_unsupported_content_type(base: str) -> None:
    err = fetch_error(f"{base}/image.png", "unsupported content type 'image/png'", allow_private=True)
    assert err.reason.startswith("unsupported content type 'image/png'")


def test_declared_size_over_the_limit_is_refused_without_reading(base: str) -> None:
    err = fetch_error(f"{base}/declared-huge", "response too large", allow_private=True)
    assert err.reason == "response too large (over 20.0 MB)"


def test_streamed_body_is_cut_at_the_limit(base: str) -> None:
    err = fetch_error(f"{base}/streamed-big", "response too large", allow_private=True, max_bytes=2500)
    assert err.reason == "response too large (over 2.5 KB)"


def test_timeout(base: str) -> None:
    err = fetch_error(f"{base}/slow", "timed out", allow_private=True, timeout=0.5)
    assert err.reason == "timed out after 0.5 s"


def test_too_many_redirects(base: str) -> None:
    fetch_error(f"{base}/loop", "too many redirects", allow_private=True)


def test_redirect_to_another_scheme_is_refused(base: str) -> None:
    fetch_error(f"{base}/redirect-ftp", "unsupported URL scheme 'ftp'", allow_private=True)


def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fetch_error(f"http://127.0.0.1:{port}/x", "could not connect", allow_private=True)


def test_empty_body(base: str) -> None:
    fetch_error(f"{base}/empty.txt", "empty response", allow_private=True)


@pytest.mark.parametrize("url, fragment", [
    ("ftp://example.org/report.pdf", "unsupported URL scheme 'ftp' (expected http or https)"),
    ("file:///etc/passwd", "unsupported URL scheme 'file'"),
    ("example.org/news", "not an http(s) URL"),
    ("http://", "invalid URL"),
])
def test_bad_urls_are_refused_before_any_connection(url: str, fragment: str) -> None:
    fetch_error(url, fragment)


# --- private and local addresses --------------------------------------------------------------------

def test_loopback_is_refused_by_default(base: str) -> None:
    err = fetch_error(f"{base}/note.txt", "refusing")
    assert err.reason == REFUSED


def _pretend_public(monkeypatch: pytest.MonkeyPatch, public: str = "127.0.0.1") -> None:
    """Treat one loopback address as public, so refusals of the others can be tested locally."""
    real = web.is_private_address
    monkeypatch.setattr(web, "is_private_address", lambda a: a != public and real(a))


def test_every_redirect_target_is_checked(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first hop (127.0.0.1, "public" here) is fetched; the redirect to a host that resolves to
    # 127.0.0.2 (still loopback, so nothing leaves this machine) is refused before connecting.
    _pretend_public(monkeypatch)
    real_resolve = web._resolve
    monkeypatch.setattr(web, "_resolve",
                        lambda host, port: ["127.0.0.2"] if host == "localhost" else real_resolve(host, port))
    err = fetch_error(f"{base}/redirect-localhost", "refusing")
    assert err.reason == REFUSED.replace("127.0.0.1", "127.0.0.2")


def test_the_connection_is_checked_again(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS rebinding: the check sees a "public" address, the connection would get another one.
    _pretend_public(monkeypatch)
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])
    monkeypatch.setattr(web, "_resolve", lambda host, port: next(answers))
    err = fetch_error(f"{base}/note.txt", "refusing")
    assert err.reason == REFUSED.replace("127.0.0.1", "127.0.0.2")


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.1.1", "127.0.0.1", "0.0.0.0", "100.64.0.1",
    "224.0.0.1", "255.255.255.255", "240.0.0.1",
    "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fe80::1%eth0", "fc00::1", "ff02::1",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
    "not-an-address",
])
def test_private_addresses(address: str) -> None:
    assert is_private_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:2800:220:1:248:1893:25c8:1946",
                                     "::ffff:93.184.216.34"])
def test_public_addresses(address: str) -> None:
    assert not is_private_address(address)  # the function only classifies; nothing connects


# --- ids and the publisher field ---------------------------------------------------------------------

@pytest.mark.parametrize("url, slug", [
    ("https://example.org/news/story-1", "example.org-news-story-1"),
    ("https://www.Example.org/News/Story-1/", "example.org-news-story-1"),
    ("https://example.org/", "example.org"),
    ("http://example.org:8080/a%20b/report.pdf#page=2", "example.org-a-b-report.pdf"),
])
def test_url_slug(url: str, slug: str) -> None:
    assert url_slug(url) == slug


def test_url_slug_keeps_query_and_long_urls_apart() -> None:
    a, b = url_slug("https://example.org/article.php?id=1"), url_slug("https://example.org/article.php?id=2")
    assert a != b and a.startswith("example.org-article.php-") and a == url_slug("https://example.org/article.php?id=1")
    long_a = url_slug("https://example.org/" + "x" * 200 + "/a")
    long_b = url_slug("https://example.org/" + "x" * 200 + "/b")
    assert long_a != long_b and len(long_a) <= web.MAX_SLUG_CHARS


def test_publisher_in_extraction_dict() -> None:
    doc = Document(id="d", text="t", publisher="Example Monitor")
    assert Extraction(doc).to_dict()["publisher"] == "Example Monitor"
    assert Extraction(Document(id="d", text="t")).to_dict()["publisher"] is None


def test_saved_html_file_gets_the_publisher(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(ARTICLE, encoding="utf-8")
    [doc] = load_file(path)
    assert doc.publisher == "Example Monitor"
    assert doc.title == "Consulate accused of monitoring diaspora"


def _raises(exc: BaseException) -> Callable[..., Any]:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise exc
    return boom


def test_unexpected_library_errors_become_source_errors(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "_document", _raises(RuntimeError("boom")))
    err = fetch_error(f"{base}/note.txt", "could not fetch (RuntimeError: boom)", allow_private=True)
    assert err.__cause__ is None
