"""Web pages and reports fetched over http(s): HTML article text, plain text and PDF.

``fetch_url`` downloads one URL and returns one :class:`Document`.  Every problem, from a refused
address to an HTTP error or an unreadable body, surfaces as a :class:`SourceError` naming the URL
as given; httpx's exceptions never leak out.

Fetching a URL taken from a report must not become a way to reach the analyst's own network
(routers, intranet services, cloud metadata at 169.254.169.254).  Unless ``allow_private`` is set,
the host of the URL and of every redirect target is resolved and refused if any of its addresses
is private, loopback, link-local, multicast, reserved or unspecified.  The same check runs again
when the connection is opened, on the very addresses it connects to, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot slip through.

A hostile server must not exhaust memory or hold a run forever.  The body is decompressed here,
layer by layer in bounded pieces, so the size limit applies to the decoded bytes as they stream
(a ``Content-Encoding: gzip, gzip`` bomb stops at the limit, not after inflating a whole network
read); and one deadline covers everything from resolving the host name to the last byte, so a resolver
that never answers, or a server that trickles its headers or its body one byte at a time, is cut off
all the same.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

import httpcore
import httpx

from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources import html, pdf
from frontwatch.sources._common import (
    check_text_bytes,
    check_unicode,
    format_size,
    normalise_text,
    short_message,
    utf8_error,
)
from frontwatch.sources.text import text_title

__all__ = ["MAX_BYTES", "USER_AGENT", "fetch_url", "is_private_address", "url_slug"]

MAX_BYTES: int = 20_000_000  # the same limit as for files


def _user_agent() -> str:
    try:
        version = importlib.metadata.version("frontwatch")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"frontwatch/{version} (research document fetcher)"


USER_AGENT = _user_agent()
MAX_REDIRECTS = 10
MAX_SLUG_CHARS = 80
# ``timeout`` bounds each wait (connect, each read); the whole fetch (connect, redirects, headers and
# body) gets this many times it.
TOTAL_TIMEOUT_FACTOR = 3
ACCEPT_ENCODING = "gzip, deflate"
DECODE_PIECE = 64 * 1024  # decompressed output is produced at most this much at a time
ALLOW_FLAG = "--allow-private-urls"

ACCEPT = "text/html, application/xhtml+xml, text/plain, application/pdf;q=0.9, */*;q=0.1"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SLUG_JUNK = re.compile(r"[^a-z0-9.]+")


class _Refused(Exception):
    """Raised inside httpx (request hook, connect, a read past the deadline) and turned into a
    SourceError at the boundary."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- which addresses may be fetched ----------------------------------------------------------------

def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a 6to4, NAT64 or Teredo address stands for, if any."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_private_address(address: str) -> bool:
    """True for any address that is not plainly on the public internet.

    Private, loopback, link-local, multicast, reserved and unspecified addresses count, as does
    anything else Python does not consider globally reachable (e.g. 100.64.0.0/10, shared address
    space), and an IPv6 address that wraps such an IPv4 address (``::ffff:127.0.0.1``).
    Something that is not an IP address at all counts as private: refuse what we cannot classify.
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket
            return is_private_address(str(ip.ipv4_mapped))
        inner = _embedded_ipv4(ip)
        if inner is not None and is_private_address(str(inner)):
            return True
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


def _refusal(address: str) -> str:
    return f"refusing to fetch a private or local address ({address}); pass {ALLOW_FLAG} to allow it"


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (an IP literal is itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _lookup(host: str, port: int, deadline: _Deadline | None, timeout: float | None) -> list[str]:
    """`_resolve` within what is left of the deadline: the system resolver cannot be interrupted, so it
    runs in a daemon thread that is left behind (and ends on its own) when the time is up."""
    if deadline is None:
        return _resolve(host, port)
    wait = deadline.left(timeout)
    answer: list[list[str] | BaseException] = []

    def work() -> None:
        try:
            answer.append(_resolve(host, port))
        except BaseException as exc:  # handed to the caller below
            answer.append(exc)

    thread = threading.Thread(target=work, name=f"frontwatch-dns-{host}", daemon=True)
    thread.start()
    thread.join(wait)
    if not answer:
        if deadline.passed():
            raise deadline.expired()
        raise OSError(f"no answer within {wait:g} s")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def _check_addresses(addresses: Iterable[str]) -> None:
    for address in addresses:
        if is_private_address(address):
            raise _Refused(_refusal(address.split("%", 1)[0]))


def _check_form(url: httpx.URL) -> str:
    """An http(s) URL with a host (returned in its ASCII, IDNA form)."""
    if not url.scheme:
        raise _Refused("not an http(s) URL (expected http://... or https://...)")
    if url.scheme not in ("http", "https"):
        raise _Refused(f"unsupported URL scheme '{url.scheme}' (expected http or https)")
    host = url.raw_host.decode("ascii")
    if not host:
        raise _Refused("invalid URL (no host)")
    return host


def _check_url(url: httpx.URL, allow_private: bool, deadline: _Deadline | None = None,
               timeout: float | None = None) -> None:
    """The scheme, and (unless allowed) the addresses, of the URL about to be requested."""
    host = _check_form(url)
    if allow_private:
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = _lookup(host, port, deadline, timeout)
    except (OSError, UnicodeError) as exc:
        raise _Refused(f"could not resolve host '{url.host}' ({short_message(exc)})") from None
    _check_addresses(addresses)


class _Deadline:
    """The one deadline of a fetch: every network wait gets at most what is left of it."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.end = time.monotonic() + total

    def expired(self) -> _Refused:
        return _Refused(f"timed out after {self.total:g} s (the whole download)")

    def left(self, timeout: float | None) -> float:
        """``timeout`` cut to the time left; raises once the deadline has passed."""
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise self.expired()
        return remaining if timeout is None else min(timeout, remaining)

    def passed(self) -> bool:
        return time.monotonic() >= self.end


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def _wait(self, timeout: float | None) -> float:
        return self._deadline.left(timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, self._wait(timeout))
        except httpcore.TimeoutException:
            if self._deadline.passed():
                raise self._deadline.expired() from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, self._wait(timeout))
        except httpcore.TimeoutException:
            if self._deadline.passed():
                raise self._deadline.expired() from None
            raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._wait(timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses that pass the check (unless ``allow_private``), resolving the
    host itself, and bounds every wait on the connection by the fetch's deadline.

    TLS still verifies the certificate against the host name: httpcore passes the origin's host
    name to ``start_tls``, whatever address the socket was opened to.
    """

    def __init__(self, allow_private: bool = False, deadline: _Deadline | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private
        self._deadline = deadline

    def _wait(self, timeout: float | None) -> float | None:
        return timeout if self._deadline is None else self._deadline.left(timeout)

    def _stream(self, stream: httpcore.NetworkStream) -> httpcore.NetworkStream:
        return stream if self._deadline is None else _DeadlineStream(stream, self._deadline)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:  # resolved here, within the deadline (the socket library's own lookup has no time limit)
            addresses = _lookup(host, port, self._deadline, timeout)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"could not resolve host '{host}' ({short_message(exc)})") from None
        if not self._allow_private:
            _check_addresses(addresses)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(address, port, self._wait(timeout), local_address,
                                                 socket_options)
                return self._stream(stream)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for host '{host}'")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Unix sockets are not used for fetching")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _transport(allow_private: bool, deadline: _Deadline | None = None) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0)
    # httpx has no public hook for the network backend; its pool keeps it in _network_backend.
    # tests/test_web_source.py checks that this still takes effect after an upgrade.
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _GuardedBackend(allow_private, deadline)
    return transport


# --- ids, content types and decoding -----------------------------------------------------------------

def url_slug(url: str) -> str:
    """A short, stable document id from a URL: host (without www.) and path, e.g.
    ``https://www.example.org/news/story-1`` -> ``example.org-news-story-1``.

    URLs that differ only in their query string get a short hash of it appended, and over-long
    slugs are cut and given a hash of the whole URL, so distinct URLs keep distinct ids.
    """
    parsed = httpx.URL(url)
    host = parsed.host.lower().removeprefix("www.")
    path = unquote(parsed.path).lower()
    slug = _SLUG_JUNK.sub("-", f"{host} {path}").strip("-.") or "document"
    suffix = ""
    if parsed.query:
        suffix = hashlib.sha1(parsed.query).hexdigest()[:8]
    if len(slug) + len(suffix) + 1 > MAX_SLUG_CHARS:
        suffix = hashlib.sha1(str(parsed.copy_with(fragment=None)).encode()).hexdigest()[:8]
        slug = slug[: MAX_SLUG_CHARS - len(suffix) - 1].rstrip("-.")
    return f"{slug}-{suffix}" if suffix else slug


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    """The media type (lower case, no parameters) and the declared charset, if any."""
    header = response.headers.get("content-type", "")
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _decode_text(where: str, data: bytes, charset: str | None, is_html: bool) -> str:
    """UTF-8 first; then (HTML) the page's <meta> charset; then the charset the server declared."""
    check_text_bytes(where, data)
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        error = exc
    if is_html:
        try:
            return html.decode_html(where, data)
        except SourceError:
            pass
    if charset:
        try:
            return normalise_text(data.decode(charset))
        except (LookupError, UnicodeDecodeError):
            pass
    raise utf8_error(where, error)


def _document(where: str, response: httpx.Response, data: bytes, media: str, charset: str | None) -> Document:
    final_url = str(response.url)
    host = response.url.host.lower().removeprefix("www.") or None
    common: dict[str, Any] = {"id": url_slug(final_url), "url": final_url, "source": where}
    if media in _HTML_TYPES:
        page = html.extract_page(where, _decode_text(where, data, charset, is_html=True), url=final_url)
        return Document(text=page.text, title=page.title, date=page.date,
                        publisher=page.publisher or host, **common)
    if media in _TEXT_TYPES:
        text = _decode_text(where, data, charset, is_html=False)
        if not text.strip():
            raise SourceError(where, "no text")
        return Document(text=text, title=text_title(text), publisher=host, **common)
    text, title, date = pdf.read_pdf(where, data)
    return Document(text=text, title=title, date=date, publisher=host, **common)


# --- fetching ------------------------------------------------------------------------------------------

class _Inflater:
    """One gzip or deflate layer, decompressed in pieces of at most ``DECODE_PIECE`` bytes."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.gzip = encoding in ("gzip", "x-gzip")
        self.first = True  # "deflate" is meant to be zlib-wrapped; some servers send raw deflate
        self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if self.gzip else zlib.MAX_WBITS)

    def _decompress(self, data: bytes) -> bytes:
        try:
            out = self.obj.decompress(data, DECODE_PIECE)
        except zlib.error:
            if self.gzip or not self.first:
                raise
            self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self.obj.decompress(data, DECODE_PIECE)
        self.first = False
        return out

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self.obj.eof:  # anything after the end of the stream is ignored
            out = self._decompress(data)
            data = self.obj.unconsumed_tail
            if out:
                yield out
        while not self.obj.eof:  # output zlib still holds once the input is used up
            out = self.obj.decompress(b"", DECODE_PIECE)
            if not out:
                break
            yield out

    def decode(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            yield from self.feed(chunk)
        tail = self.obj.flush()
        if tail:
            yield tail


def _encodings(where: str, response: httpx.Response) -> list[str]:
    """The content codings of the body, in the order they were applied ("identity" dropped)."""
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    for coding in codings:
        if coding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise SourceError(where, f"unsupported content encoding '{short_message(Exception(coding), 40)}' "
                              "(expected gzip or deflate)")
    return [c for c in codings if c != "identity"]


def _read_body(where: str, response: httpx.Response, max_bytes: int, deadline: _Deadline) -> bytes:
    """The decompressed body, refusing as soon as it (compressed or not) passes ``max_bytes`` or
    the deadline passes.  Decompression happens here, in bounded pieces, never a whole read at once."""
    too_large = f"response too large (over {format_size(max_bytes)})"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(where, too_large)
    codings = _encodings(where, response)
    raw_size = 0

    def raw() -> Iterator[bytes]:
        nonlocal raw_size
        for chunk in response.iter_raw():
            raw_size += len(chunk)
            if raw_size > max_bytes:
                raise SourceError(where, too_large)
            yield chunk

    stream: Iterator[bytes] = raw()
    for coding in reversed(codings):  # the last coding applied is the first to undo
        stream = _Inflater(coding).decode(stream)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in stream:
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(where, too_large)
            if deadline.passed():  # a server that drips bytes must not hold us forever
                raise deadline.expired()
            chunks.append(chunk)
    except zlib.error as exc:
        raise SourceError(where, f"could not decompress the response ({short_message(exc)})") from None
    return b"".join(chunks)


def _fetch(url: str, allow_private: bool, timeout: float, max_bytes: int) -> Document:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise SourceError(url, f"invalid URL ({short_message(exc)})") from None
    # httpx would take a URL without a host for a relative one; refuse it first.  The request hook
    # then checks the addresses of the first URL and of every redirect target before requesting it.
    _check_form(parsed)
    deadline = _Deadline(timeout * TOTAL_TIMEOUT_FACTOR)
    with httpx.Client(
        transport=_transport(allow_private, deadline),  # an explicit transport also disables env proxies
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
        event_hooks={"request": [lambda request: _check_url(request.url, allow_private, deadline, timeout)]},
    ) as client, client.stream("GET", parsed) as response:
        if not response.is_success:
            reason = response.reason_phrase or ""
            raise SourceError(url, f"HTTP {response.status_code} {reason}".rstrip())
        media, charset = _content_type(response)
        if media not in _HTML_TYPES | _TEXT_TYPES | _PDF_TYPES:
            kind = f"'{media}'" if media else "(the server sent none)"
            raise SourceError(url, f"unsupported content type {kind} (expected HTML, plain text or PDF)")
        data = _read_body(url, response, max_bytes, deadline)
    if not data:
        raise SourceError(url, "empty response")
    doc = _document(url, response, data, media, charset)
    # a declared charset (e.g. unicode_escape) or a PDF's font map can yield a lone surrogate
    check_unicode(url, text=doc.text, title=doc.title, date=doc.date, publisher=doc.publisher)
    return doc


def _connect_reason(exc: httpx.ConnectError) -> str:
    message = " ".join(str(exc).split())
    marker = "certificate verify failed:"
    if marker in message:  # "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: <why> (_ssl.c:1000)"
        why = re.sub(r"\s*\(_ssl\.c:\d+\)$", "", message.split(marker, 1)[1]).strip()
        return f"TLS certificate not accepted ({short_message(Exception(why))})"
    return f"could not connect: {short_message(exc)}"


def fetch_url(
    url: str, *, allow_private: bool = False, timeout: float = 20.0, max_bytes: int = MAX_BYTES
) -> Document:
    """Download ``url`` (http or https) and read it as one document.

    HTML pages give their main text (trafilatura), title, published date and publisher (the
    site's name, else the host without ``www.``); plain text and PDF give their text and title.
    ``url`` of the result is the final URL after redirects; its id is :func:`url_slug` of it.
    Raises :class:`SourceError` (``str``: "URL: reason", one line) on every failure.
    """
    try:
        return _fetch(url, allow_private, timeout, max_bytes)
    except SourceError:
        raise
    except _Refused as exc:
        raise SourceError(url, exc.reason) from None
    except httpx.TimeoutException:
        raise SourceError(url, f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise SourceError(url, f"too many redirects (over {MAX_REDIRECTS})") from None
    except httpx.UnsupportedProtocol as exc:
        raise SourceError(url, f"unsupported URL ({short_message(exc)})") from None
    except httpx.InvalidURL as exc:
        raise SourceError(url, f"invalid URL ({short_message(exc)})") from None
    except httpx.ConnectError as exc:
        raise SourceError(url, _connect_reason(exc)) from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"download failed: {short_message(exc)}") from None
    except Exception as exc:  # a bug or an unforeseen library error: still one line, no traceback
        raise SourceError(url, f"could not fetch ({type(exc).__name__}: {short_message(exc)})") from None
