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
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import ipaddress
import re
import socket
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

import httpcore
import httpx

from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources import html, pdf
from frontwatch.sources._common import (
    check_text_bytes,
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
# ``timeout`` bounds each wait (connect, each read); reading the body gets this many times it.
TOTAL_TIMEOUT_FACTOR = 3
ALLOW_FLAG = "--allow-private-urls"

ACCEPT = "text/html, application/xhtml+xml, text/plain, application/pdf;q=0.9, */*;q=0.1"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SLUG_JUNK = re.compile(r"[^a-z0-9.]+")


class _Refused(Exception):
    """Raised inside httpx (request hook or connect) and turned into a SourceError at the boundary."""

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


def _check_url(url: httpx.URL, allow_private: bool) -> None:
    """The scheme, and (unless allowed) the addresses, of the URL about to be requested."""
    host = _check_form(url)
    if allow_private:
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise _Refused(f"could not resolve host '{url.host}' ({short_message(exc)})") from None
    _check_addresses(addresses)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses that pass the check, resolving the host itself.

    TLS still verifies the certificate against the host name: httpcore passes the origin's host
    name to ``start_tls``, whatever address the socket was opened to.
    """

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = _resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"could not resolve host '{host}' ({short_message(exc)})") from None
        _check_addresses(addresses)
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for host '{host}'")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Unix sockets are not used for fetching")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _transport(allow_private: bool) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0)
    if not allow_private:
        # httpx has no public hook for the network backend; its pool keeps it in _network_backend.
        # tests/test_web_source.py checks that this still takes effect after an upgrade.
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = _GuardedBackend()
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
    text, title = pdf.read_pdf(where, data)
    return Document(text=text, title=title, publisher=host, **common)


# --- fetching ------------------------------------------------------------------------------------------

def _read_body(where: str, response: httpx.Response, max_bytes: int, total: float) -> bytes:
    """The (decompressed) body, refusing as soon as it passes ``max_bytes`` or the deadline."""
    too_large = f"response too large (over {format_size(max_bytes)})"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(where, too_large)
    deadline = time.monotonic() + total
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(where, too_large)
        if time.monotonic() > deadline:  # a server that drips bytes must not hold us forever
            raise SourceError(where, f"timed out after {total:g} s (the whole download)")
        chunks.append(chunk)
    return b"".join(chunks)


def _fetch(url: str, allow_private: bool, timeout: float, max_bytes: int) -> Document:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise SourceError(url, f"invalid URL ({short_message(exc)})") from None
    # httpx would take a URL without a host for a relative one; refuse it first.  The request hook
    # then checks the addresses of the first URL and of every redirect target before requesting it.
    _check_form(parsed)
    with httpx.Client(
        transport=_transport(allow_private),  # an explicit transport also disables env proxies
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        event_hooks={"request": [lambda request: _check_url(request.url, allow_private)]},
    ) as client, client.stream("GET", parsed) as response:
        if not response.is_success:
            reason = response.reason_phrase or ""
            raise SourceError(url, f"HTTP {response.status_code} {reason}".rstrip())
        media, charset = _content_type(response)
        if media not in _HTML_TYPES | _TEXT_TYPES | _PDF_TYPES:
            kind = f"'{media}'" if media else "(the server sent none)"
            raise SourceError(url, f"unsupported content type {kind} (expected HTML, plain text or PDF)")
        data = _read_body(url, response, max_bytes, timeout * TOTAL_TIMEOUT_FACTOR)
    if not data:
        raise SourceError(url, "empty response")
    return _document(url, response, data, media, charset)


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
