"""Hand-built PDFs for the source tests, so no binary fixtures live in the repository.

``make_text_pdf`` writes the smallest valid PDF that has a real text layer: one Helvetica
``Tf``/``Tj`` content stream per page, an /Info dictionary and a byte-exact xref table.
"""

from __future__ import annotations


def _escape(text: str) -> str:
    # PDF literal strings treat backslash and parentheses as syntax.
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content_stream(page_text: str) -> bytes:
    lines = page_text.split("\n")
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for i, line in enumerate(lines):
        if i:
            ops.append("T*")  # next line, using the 14pt leading set above
        ops.append(f"({_escape(line)}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def make_text_pdf(pages: list[str], title: str | None = None, created: str | None = None) -> bytes:
    """Return the bytes of a PDF whose pages show ``pages`` (``\\n`` starts a new line); ``created`` is
    written as the /CreationDate string as given ("D:20230417093000Z")."""
    n = len(pages)
    # Object numbers: 1 catalog, 2 page tree, 3 font, 4 info, then (page, content) pairs.
    page_ids = [5 + 2 * i for i in range(n)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: (
            f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n} >>"
        ).encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: ("<< " + (f"/Title ({_escape(title)}) " if title is not None else "")
            + (f"/CreationDate ({_escape(created)}) " if created is not None else "")
            + ">>").encode("latin-1"),
    }
    for page_id, text in zip(page_ids, pages, strict=True):
        stream = _content_stream(text)
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n".encode()
    out += b"0000000000 65535 f \n"  # each xref entry is exactly 20 bytes
    for num in range(1, size):
        out += f"{offsets[num]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R >>\n".encode()
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def make_blank_pdf() -> bytes:
    """A valid one-page PDF with no text layer at all (what a scan without OCR looks like)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def make_encrypted_pdf(user_password: str = "secret") -> bytes:
    """A text PDF encrypted with RC4-128 (pypdf handles RC4 without extra packages)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_text_pdf(["Confidential text."]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def truncate(data: bytes) -> bytes:
    """The first half of a PDF, like an interrupted download."""
    return data[: len(data) // 2]
