"""What the byte guard (ingest.file_guard) reads in a workbook's XML parts, without parsing
them: the name the analyst sees for each worksheet part, and how far a sheet's cells reach.

How far the cells reach matters because the reader (calamine) allocates a cell for every
position between the first and the last cell it meets, and the rows are then padded from
A1: a 2 KB sheet with one cell at XFD1048576 asks for 17 billion cells (512 GB), and the
allocation's failure aborts the process with no chance to say why. Nothing obliges a
hostile file's <dimension> to tell the truth, or to be there at all, so the reach is read
from the cells' own references (r="XFD1048576") and the rows' (r="1048576").

Reading every reference would cost a third of calamine's own parse, so only the ones that
can matter are looked at: those with a column of two or three letters (beyond Z: real
extracts have twenty-odd columns) and those whose row number has as many digits as the row
limit. Below both, a sheet spans at most 26 columns times the row limit, which the cell
limit allows (`Limits` keeps it so). When a wide column is found, the width times the last
row is what matters, so the sheet is read again with every reference's row counted
(`CellReach(full=True)`): only sheets wider than Z pay for that.
"""
from __future__ import annotations

import re

_OVERLAP = 256
"""Bytes kept from one chunk to the next, so a reference split between two chunks is seen
whole (a reference with more digits than that is refused as not Excel's)."""
# Each starts with the literal r=" (a leading \s would forgo the regex engine's fast search
# for it, tripling the time); that the attribute name is r and not, say, ptr is checked on the
# few matches.
_WIDE = re.compile(rb'r="([A-Za-z]{2,3})(\d+)"')  # calamine reads r="ab5" as AB5
_ANY_ROW = re.compile(rb'r="[A-Za-z]{0,3}(\d+)"')
_SPACE = frozenset(b" \t\r\n")
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RELATION = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_RELATION_TARGET_FIRST = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class CellReach:
    """Feed a worksheet's XML chunk by chunk; `rows` and `columns` are the last row and
    column any cell reference named so far (0 when none did beyond the cheap bounds)."""

    def __init__(self, max_rows: int, full: bool = False):
        self.rows = 0
        self.columns = 0
        self.longest = 0
        """The most digits a row number had (a reference Excel would never write when huge)."""
        self.wide = False
        """A column beyond Z was named: the sheet must be read again with `full=True`."""
        digits = len(str(max_rows))
        self._long_row = re.compile(rb'r="[A-Za-z]{0,3}(\d{%d,})"' % digits)
        self._long_number = b"0" * digits + b'"'
        """What a long row number ends as once every digit is read as 0: found at C speed, so the
        regular expression runs only on a chunk that has one (numbers before a quote are rare)."""
        self._full = full
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        self._tail = text[-_OVERLAP:]
        for match in _references(_WIDE, text):
            self.columns = max(self.columns, column_number(match.group(1).decode().upper()))
            self.wide = True
        if self._full:
            rows = [match.group(1) for match in _references(_ANY_ROW, text)]
        elif self._long_number in text.translate(_DIGITS_AS_ZEROS):
            rows = [match.group(1) for match in _references(self._long_row, text)]
        else:
            rows = []
        if rows:
            self.longest = max(self.longest, max(map(len, rows)))
            self.rows = max(self.rows, max(map(int, rows)))


def _references(pattern: re.Pattern, text: bytes):
    """The matches that are an attribute named r (preceded by white space)."""
    return (match for match in pattern.finditer(text) if match.start() and text[match.start() - 1] in _SPACE)


def sheet_names(workbook_xml: bytes, relations_xml: bytes) -> dict[str, str]:
    """Worksheet part (e.g. "xl/worksheets/sheet1.xml") -> the sheet's name as Excel shows
    it, from xl/workbook.xml and its relationships; parts it cannot place are left out."""
    ids = {rid: name for name, rid in _SHEET.findall(workbook_xml)}
    ids.update({rid: name for rid, name in _SHEET_ID_FIRST.findall(workbook_xml)})
    targets = dict(_RELATION.findall(relations_xml))
    targets.update({rid: target for target, rid in _RELATION_TARGET_FIRST.findall(relations_xml)})
    names = {}
    for rid, name in ids.items():
        target = targets.get(rid)
        if target is None:
            continue
        target = target.decode("utf-8", "replace")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        names[part] = _unescape(name.decode("utf-8", "replace"))
    return names


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))
