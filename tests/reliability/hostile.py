"""The hostile and broken input corpus, built in code: each case is a file name, its bytes and
the metadata it comes with. ``REFUSED`` must each be refused with one clear line and leave
nothing behind; ``STORED_AS_TEXT`` are legitimate text carrying payloads, stored verbatim and
shown inert (tests/browser/test_script_payloads.py)."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field

from tests.factories import SUBMISSION_PARAGRAPHS, make_blank_pdf, make_docx, make_pdf

GOOD_PDF = make_pdf([SUBMISSION_PARAGRAPHS])
GOOD_DOCX = make_docx([("heading", "Prevention"), ("para", "1. Schools teach online safety.")])
OTHER_PDF = make_pdf([["A different submission on international cooperation."]])
OTHER_DOCX = make_docx([("para", "1. A different submission on prevention.")])
_junk = random.Random(7).randbytes


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    data: bytes
    meta: dict = field(default_factory=dict)


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


def _docx_with_body(body: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(GOOD_DOCX)) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["word/document.xml"] = body
    return _zip(parts)


def _corrupt(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(len(out) // 3):
        out[rng.randrange(16, len(out))] = rng.randrange(256)
    return bytes(out)


def oversize(kind: str, megabytes: int) -> bytes:
    """A file just over ``megabytes`` whose first bytes look right."""
    head = GOOD_PDF[:200] if kind == "pdf" else GOOD_DOCX[:200]
    return head + b"\0" * (megabytes * 1_048_576 + 1 - len(head))


def docx_bomb() -> bytes:
    """A real DOCX whose document part expands ~1000x (60 MB of the same run of text)."""
    body = b"<w:document><w:body>" + b"<w:p><w:r><w:t>A</w:t></w:r></w:p>" * 1_800_000
    return _docx_with_body(body + b"</w:body></w:document>")


REC = {"kind": "recommendation_list", "submitter": "UNODC Secretariat", "actor_type": "unodc"}
HUGE_FIELD = b"text\n" + b'"' + b"x" * 3_000_000 + b'"\n'

REFUSED: list[Case] = [
    # PDF: empty, truncated, corrupt, encrypted, textless, lying, junk
    Case("pdf-zero-bytes", "empty.pdf", b""),
    Case("pdf-truncated-half", "half.pdf", GOOD_PDF[: len(GOOD_PDF) // 2]),
    Case("pdf-truncated-header", "header.pdf", b"%PDF-1.7\n"),
    Case("pdf-header-then-junk", "junk-body.pdf", b"%PDF-1.4\n" + _junk(4000)),
    Case("pdf-corrupted-bytes", "corrupt.pdf", _corrupt(GOOD_PDF, 1)),
    Case("pdf-password-protected", "locked.pdf", make_pdf([["Secret text."]], password="pw")),
    Case("pdf-no-text", "scan.pdf", make_blank_pdf(2)),
    Case("pdf-named-docx", "lying.docx", OTHER_PDF),
    Case("pdf-named-txt", "lying.txt", OTHER_PDF + b" "),
    Case("docx-named-pdf", "lying.pdf", OTHER_DOCX),
    Case("pdf-binary-junk", "junk.pdf", _junk(5000)),
    Case("pdf-html-inside", "page.pdf", b"<html><script>alert(1)</script></html>"),
    # DOCX: empty, truncated, not Word, bomb, junk, no text
    Case("docx-zero-bytes", "empty.docx", b""),
    Case("docx-truncated", "half.docx", GOOD_DOCX[: len(GOOD_DOCX) // 2]),
    Case("docx-zip-without-word", "plain.docx", _zip({"hello.txt": b"hello"})),
    Case("docx-zip-bomb", "bomb.docx", docx_bomb()),
    Case("docx-binary-junk", "junk.docx", b"PK\x03\x04" + _junk(3000)),
    Case("docx-no-text", "blank.docx", _docx_with_body(b"<w:document><w:body/></w:document>")),
    Case("docx-broken-xml", "badxml.docx", _docx_with_body(b"<w:document><w:body><w:p>")),
    Case("docx-named-txt", "lying2.txt", OTHER_DOCX + b" "),
    Case("docx-named-csv", "lying.csv", OTHER_DOCX + b"  "),
    # text: empty, binary, encodings
    Case("txt-zero-bytes", "empty.txt", b""),
    Case("txt-whitespace-only", "blank.txt", b" \n\t\n   \n"),
    Case("txt-binary-nul", "binary.txt", b"text\x00\x01\x02" + _junk(500)),
    Case("txt-latin1", "latin1.txt", "Cybercriminalité et coopération".encode("latin-1")),
    Case(
        "txt-cp1252-quotes", "quotes.txt", "\u201cSmart\u201d quotes \u2013 dash".encode("cp1252")
    ),
    Case("txt-mixed-encodings", "mixed.txt", "Première ".encode() + "deuxième".encode("latin-1")),
    Case("txt-shift-jis", "sjis.txt", "サイバー犯罪".encode("shift_jis")),
    Case("txt-utf16-damaged", "utf16.txt", b"\xff\xfeA\x00B"),
    Case("md-empty", "empty.md", b""),
    Case("json-named-pdf", "data.pdf", b'[{"text": "x"}]'),
    # unsupported or lying names
    Case("no-extension", "README", b"Some text."),
    Case("exe-extension", "tool.exe", b"MZ\x90\x00" + _junk(100)),
    Case("html-extension", "page.html", b"<script>alert(1)</script>"),
    Case("double-extension", "report.pdf.exe", OTHER_PDF + b"  "),
    Case("svg-extension", "image.svg", b"<svg onload=alert(1)></svg>"),
    # CSV: columns, fields, structure
    Case("csv-missing-text-column", "rows.csv", b"heading,body\nA,some words\n"),
    Case("csv-extra-fields", "extra.csv", b"text\nok\nfirst,second,third\n"),
    Case("csv-header-only", "header.csv", b"text\n"),
    Case("csv-enormous-field", "huge.csv", HUGE_FIELD),
    Case("csv-nul-bytes", "nul.csv", b"text\nabc\x00def\n"),
    Case("csv-recs-missing-topic", "recs1.csv", b"number,text\n1,States should act.\n", REC),
    Case("csv-recs-unknown-topic", "recs2.csv", b"number,topic,text\n1,astrology,Act.\n", REC),
    Case(
        "csv-recs-bad-status", "recs3.csv", b"number,topic,text,status\n1,prevention,A,maybe\n", REC
    ),
    Case(
        "csv-comment-on-nothing",
        "comments.csv",
        b"recommendation,text\n4.999,We agree.\n",
        {"kind": "comment"},
    ),
    # JSON
    Case("json-truncated", "cut.json", b'[{"text": "abc"'),
    Case("json-object", "obj.json", b'{"text": "abc"}'),
    Case("json-empty-list", "empty.json", b"[]"),
    Case("json-list-of-numbers", "nums.json", b"[1, 2, 3]"),
    Case("json-trailing-garbage", "trail.json", b'[{"text": "a"}] trailing'),
    Case("json-deep-nesting", "deep.json", b"[" * 200_000 + b"]" * 200_000),
    Case("json-not-utf8", "latin.json", '[{"text": "coopération"}]'.encode("latin-1")),
    # file names
    Case("name-path-traversal", "../../etc/passwd.txt", b"Some text."),
    Case("name-absolute-path", "/etc/cron.d/job.txt", b"Some text."),
    Case("name-windows-traversal", "..\\..\\boot.txt", b"Some text."),
    Case("name-nul", "evil\x00.txt", b"Some text."),
    Case("name-newline", "two\nlines.txt", b"Some text."),
    Case("name-ansi-escape", "\x1b[31mred.txt", b"Some text."),
    Case("name-bidi-override", "report\u202etxt.exe.txt", b"Some text."),
    Case("name-too-long", "a" * 300 + ".txt", b"Some text."),
    # metadata: unknown States, meetings and values
    Case("unknown-state", "a1.txt", b"Some text.", {"submitter": "Atlantis"}),
    Case("unknown-meeting", "a2.txt", b"Some text.", {"meeting": 99}),
    Case("meeting-not-a-number", "a3.txt", b"Some text.", {"meeting": "fifth; drop table"}),
    Case("unknown-kind", "a4.txt", b"Some text.", {"kind": "memo"}),
    Case("impossible-date", "a5.txt", b"Some text.", {"received": "2019-13-45"}),
    Case("observer-without-type", "a6.txt", b"Some text.", {"submitter": "Acme Security Ltd"}),
    Case("observer-bad-type", "a7.txt", b"Text.", {"submitter": "Acme", "actor_type": "hacker"}),
    Case("sql-in-submitter", "a8.txt", b"Text.", {"submitter": "Ghana'; drop table document;--"}),
]

PAYLOADS = [
    "<script>window.__ieg_pwned = 'script'</script>",
    "<img src=x onerror=\"window.__ieg_pwned = 'img'\">",
    "<svg onload=\"window.__ieg_pwned = 'svg'\"></svg>",
    "[click me](javascript:window.__ieg_pwned='link')",
    "![x](javascript:window.__ieg_pwned='image')",
    ":red[styled] **bold** $x^2$ <b>html</b> &lt;entity&gt;",
]

STORED_AS_TEXT: list[Case] = [
    Case(
        "txt-script-payloads",
        "payloads.txt",
        "\n\n".join(
            f"{i + 1}. Passage {i} on evidence: {p}" for i, p in enumerate(PAYLOADS)
        ).encode(),
    ),
    Case(
        "csv-formula-injection",
        "formulas.csv",
        b'text\n"=HYPERLINK(""http://evil.example"",""x"") evidence"\n'
        b"+cmd|' /C calc'!A0 cooperation\n@SUM(1+1) prevention\n-2+3 criminalization\n",
    ),
]
