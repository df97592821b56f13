"""Writers of hostile and broken files for the ingest's fault tests, and a way to run
`scorecard ingest` in a child process with its memory capped, so that a crash (SIGABRT),
a hang or a memory blow-up shows as a failing test rather than a dead or stuck pytest."""
from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from scorecard.settings import PROJECT_ROOT

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="Visits" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


VISITS_HEADER_ROW = ('<row r="1">' + cell("A1", "Child ID") + cell("B1", "Date Due") + cell("C1", "Date Done")
                     + "</row>")


def sheet_xml(rows: str, dimension: str | None = None) -> bytes:
    dimension_part = f'<dimension ref="{dimension}"/>' if dimension else ""
    return SHEET_HEAD + f"{dimension_part}<sheetData>{rows}</sheetData></worksheet>".encode()


@dataclass
class Member:
    """One zip member written by hand: its deflated bytes, and the sizes and CRC its headers
    declare (which a hostile file need not tell truly)."""
    name: str
    deflated: bytes
    size: int
    crc: int


def deflated(data: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member("", compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data))


def repeated_blank_member(megabytes: int, head: bytes = SHEET_HEAD + b"<sheetData>") -> Member:
    """A worksheet of `megabytes` MB of spaces, deflated without deflating them all: one
    megabyte is compressed with a full flush (so the block needs nothing before it) and the
    block repeated. Its CRC is left as 0: a reader that inflates it all finds it wrong, which
    no check here needs (the guard must refuse it long before)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * (1024 * 1024)) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(b"</sheetData></worksheet>") + compressor.flush()
    return Member("", start + block * megabytes + end, len(head) + megabytes * 1024 * 1024 + 24, 0)


def workbook(sheet: bytes | Member, declared_size: int | None = None) -> bytes:
    """A minimal .xlsx (about 1.5 KB around its sheet) with `sheet` as its one worksheet;
    `declared_size` makes the headers lie about the sheet's inflated size."""
    members = [Member(name, *_fields(deflated(text.encode()))) for name, text in _PARTS.items()]
    sheet_member = sheet if isinstance(sheet, Member) else deflated(sheet)
    members.append(Member(SHEET, sheet_member.deflated, declared_size or sheet_member.size, sheet_member.crc))
    return _zip(members)


def _fields(member: Member) -> tuple[bytes, int, int]:
    return member.deflated, member.size, member.crc


def _zip(members: list[Member]) -> bytes:
    out, central = bytearray(), bytearray()
    for member in members:
        name = member.name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, member.crc, len(member.deflated),
                           member.size, len(name), 0) + name
        out += member.deflated
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, member.crc,
                               len(member.deflated), member.size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


MEMORY_CAP = 3 * 1024 ** 3
"""The address space a child ingest may take: a regression shows as a failure, not a machine
brought to its knees."""
# The peak as the kernel counts it for this program: VmHWM, which starts afresh at exec.
# (ru_maxrss does not: a child forked from a pytest process of 560 MB reported 560 MB.)
_REPORT_PEAK = ("import atexit, re, sys; "
                "atexit.register(lambda: sys.stderr.write('\\npeak-rss-kb=' + re.search("
                "r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1) + '\\n')); "
                "sys.argv[0] = 'scorecard'; from scorecard.cli import main; main()")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_kb: int | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_ingest(database_url: str, *args: str, timeout: float = 120) -> Run:
    """`scorecard ingest ARGS` in a child process with its address space capped; its peak
    resident memory as it reports it on exit (None if it died before)."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT), "RUST_BACKTRACE": "0"}
    done = subprocess.run([sys.executable, "-c", _REPORT_PEAK, "ingest", "--quiet", *args], check=False,
                          capture_output=True, text=True, env=env, timeout=timeout, preexec_fn=cap, cwd=PROJECT_ROOT)
    peak = next((int(line.split("=")[1]) for line in done.stderr.splitlines() if line.startswith("peak-rss-kb=")),
                None)
    return Run(done.returncode, done.stdout, done.stderr, peak)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
