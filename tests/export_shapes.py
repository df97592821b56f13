"""Monthly exports in the shapes councils' case-management systems produce.

The scorecard is tried on LiquidLogic, Mosaic and Eclipse exports nobody here has seen,
so a test must not know one layout. A `Shape` is one seeded draw from the vocabulary
in `export_vocabulary`: header wordings, value forms, column order, extra columns, title
rows, blank rows, totals and footer rows, file format, encoding and separator.
`write_shape` writes it as a file (xlsx with openpyxl, another library than the one the
product reads with; CSV in the encodings Windows tools write) and says which row of the
file each record is on.

Nothing here imports the product: what the product must make of a file is written
down independently, so a test compares the two.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from export_vocabulary import (CHILD_ID, CODE, DATASETS, DATE, DATE_FORMS, DATETIME, DATETIME_FORMS, FLAG,
                               FLAG_FORMS, ID, INTEGER, MONTH_FIRST, MONTH_LAST, NOTE_BY_KIND, NUMBER, PERIOD,
                               TIME_FORMS, XLSX_FLAG_FORMS, Dataset, Header, Spec)

__all__ = ["DATASETS", "MONTH_FIRST", "MONTH_LAST", "PERIOD", "Column", "Shape", "Written", "layout", "make_shape",
           "plain_shape", "write_shape", "write_text_csv", "write_workbook"]


# --- A shape: one seeded draw from the vocabulary ------------------------------------------------

@dataclass
class Column:
    """One column of the export."""

    header: str
    """As written in the file."""
    field: str | None
    """The product field the analyst reads it as (None: a column the product does not use)."""
    known: bool
    carries: str | None
    """The stored field whose values it holds (a time column carries part of a date and time)."""
    cell: Callable[[dict], Any]
    form: str
    style: str = ""
    """How the header is written: as is, upper, snake, note, ..."""
    reordered: bool = False
    codes: dict[str, str] = field(default_factory=dict)
    """For a coded field: the wording written for each code."""

    @property
    def needs_mapping(self) -> bool:
        return self.field is not None and not self.known


@dataclass
class Shape:
    seed: int
    dataset: str
    records: list[dict]
    """The canonical records in the export, in file order."""
    columns: list[Column]
    file_format: str  # "xlsx" or "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    other_sheets: tuple[str, ...] = ()
    margin: int = 0
    titles: list[str | None] = field(default_factory=list)
    blank_before: set[int] = field(default_factory=set)
    """Indexes of records with a blank row above them."""
    blank_style: str = "empty"
    trailer: list[list[Any]] = field(default_factory=list)
    """Totals, footer and note rows below the data, as written."""
    ambiguous: dict[str, dict[str, str]] = field(default_factory=dict)
    """field -> {word written: the code it means}: words the analyst must map."""
    choices: list[str] = field(default_factory=list)

    def present(self, mapped: bool) -> set[str]:
        """The fields the product finds in the file (`mapped`: once the analyst's mappings are saved)."""
        fields = {c.field for c in self.columns if c.field and (c.known or mapped)}
        if {"age_at_birthday", "date_of_birth"} <= fields:
            fields.add("birthday")
        return fields

    @property
    def carried(self) -> set[str]:
        return {c.carries for c in self.columns if c.carries}

    @property
    def file_name(self) -> str:
        return f"{self.dataset}_{self.seed}.{self.file_format}"

    def expected_records(self) -> list[dict]:
        """What the store must hold: the canonical records, with the fields this export leaves out empty."""
        names = [s.name for s in DATASETS[self.dataset].specs]
        return [{name: (r[name] if name in self.carried else None) for name in names} for r in self.records]

    def mappings(self, council: str) -> list[list[str]]:
        """The `scorecard mapping` commands an analyst runs for this export."""
        commands = [["mapping", "set", "--council", council, "--dataset", self.dataset, "--field", c.field,
                     "--header", c.header] for c in self.columns if c.needs_mapping]
        commands += [["mapping", "value", "--council", council, "--dataset", self.dataset, "--field", name,
                      "--value", word, "--code", code]
                     for name, words in self.ambiguous.items() for word, code in words.items()]
        return commands

    def describe(self) -> str:
        columns = "; ".join(f"{c.header!r}" + (f" = {c.field}" if c.field else " (extra)")
                            + ("" if c.known else " [needs mapping]") + f" <{c.form}>" for c in self.columns)
        where = f"xlsx sheet {self.sheet!r}" + (f" beside {list(self.other_sheets)}" if self.other_sheets else "") \
            if self.file_format == "xlsx" else f"csv {self.encoding} delimiter {self.delimiter!r}"
        return (f"shape seed={self.seed} dataset={self.dataset}: {where}, margin {self.margin}, titles {self.titles}, "
                f"records {[r[DATASETS[self.dataset].specs[0].name] for r in self.records]}, "
                f"blank rows before records {sorted(self.blank_before)} ({self.blank_style}), trailer {self.trailer}, "
                f"ambiguous {self.ambiguous}\n  columns: {columns}\n  choices: {'; '.join(self.choices)}")


def _header_text(rng: random.Random, header: Header, kind: str, xlsx: bool) -> tuple[str, str]:
    """The header as one export writes it: any case, punctuation, a note in brackets."""
    text = header.text
    styles = ["as is", "as is", "upper", "lower", "snake", "padded", "non-breaking spaces"] \
        + (["line break"] if xlsx and " " in text else [])
    if "(" not in text:  # one note in brackets at most, and no colon after one
        styles += ["note", "colon"]
    style = rng.choice(styles)
    if style == "upper":
        text = text.upper()
    elif style == "lower":
        text = text.lower()
    elif style == "snake":
        text = "_".join(text.replace("/", " ").replace("-", " ").split()).lower()
    elif style == "note":
        text = f"{text} {NOTE_BY_KIND.get(kind, '(hh:mm)')}"
    elif style == "padded":
        text = f"  {text} "
    elif style == "colon":
        text = f"{text}:"
    elif style == "line break":
        text = text.replace(" ", "\n", 1)
    elif style == "non-breaking spaces":  # reports saved from a web page
        text = text.replace(" ", "\xa0")
    return text, style


def _pick_header(rng: random.Random, headers: Sequence[Header], mapping_rate: float) -> Header:
    pool = [h for h in headers if not h.known] if rng.random() < mapping_rate else []
    return rng.choice(pool or [h for h in headers if h.known])


def _form(rng: random.Random, forms: dict, xlsx: bool) -> tuple[str, Callable]:
    names = [name for name, (text, _) in forms.items() if xlsx or text]
    name = rng.choice(names)
    return name, forms[name][1]


def _value_writer(rng: random.Random, spec: Spec, records: Sequence[dict], xlsx: bool,
                  shape: Shape) -> tuple[str, Callable[[Any], Any]]:
    """How one column writes its values: one form per column, as systems do (a few
    columns mix forms, as hand-edited files do)."""
    if spec.kind == DATE:
        name, write = _form(rng, DATE_FORMS, xlsx)
        if rng.random() < 0.15:
            forms = [_form(rng, DATE_FORMS, xlsx) for _ in range(3)]
            return "mixed " + "/".join(n for n, _ in forms), \
                lambda v: None if v is None else forms[v.toordinal() % len(forms)][1](v)
        return name, lambda v: None if v is None else write(v)
    if spec.kind == DATETIME:
        name, write = _form(rng, DATETIME_FORMS, xlsx)
        return name, lambda v: None if v is None else write(v)
    if spec.kind == FLAG:
        forms = FLAG_FORMS + spec.flags + (XLSX_FLAG_FORMS if xlsx else ())
        if any(f is None for _, f in spec.flags) and rng.random() < 0.3:
            yes, no = rng.choice([f for f in spec.flags if f[1] is None])
        else:
            yes, no = rng.choice([f for f in forms if f[1] is not None])
        return f"{yes}/{no}", lambda v: None if v is None else (yes if v else no)
    if spec.kind == CODE:
        return _code_writer(rng, spec, records, shape)
    if spec.kind == ID:
        numbers = xlsx and rng.random() < 0.5
        return ("typed as numbers" if numbers else "text"), \
            lambda v: None if v is None else (int(v) if numbers and v.isdigit() else v)
    if spec.kind in (NUMBER, INTEGER):
        as_text = not xlsx or rng.random() < 0.3
        return ("text" if as_text else "number"), \
            lambda v: None if v is None else (f"{v:g}" if as_text else (int(v) if float(v).is_integer() else v))
    return "text", lambda v: v


def _code_writer(rng: random.Random, spec: Spec, records: Sequence[dict], shape: Shape) -> tuple[str, Callable]:
    """Codes as the DfE code, as the code's label, as words close to it, or mixed; now and
    then one code written as a word that is ambiguous on its own (the analyst maps it)."""
    style = rng.choice(["code", "label", "words", "mixed"])
    present = sorted({r[spec.name] for r in records if r[spec.name] is not None})
    chosen: dict[str, str] = {}
    for code in present:
        wordings = spec.codes.get(code, ())
        if style == "code" or not wordings:
            chosen[code] = code
        elif style == "label":
            chosen[code] = wordings[0]
        elif style == "words":
            chosen[code] = rng.choice(wordings[1:] or wordings)
        else:
            chosen[code] = rng.choice((code, *wordings))
    candidates = [c for c in present if spec.ambiguous.get(c)]
    if candidates and rng.random() < 0.3:
        code = rng.choice(candidates)
        word = rng.choice(spec.ambiguous[code])
        chosen[code] = word
        shape.ambiguous.setdefault(spec.name, {})[word] = code
    return f"{style} {chosen}", lambda v: None if v is None else chosen[v]


def _columns_for(rng: random.Random, spec: Spec, shape: Shape, xlsx: bool, mapping_rate: float) -> list[Column]:
    """The column(s) an export gives one field in: one column, a date and a time column,
    or the age reached instead of a birthday."""
    records = shape.records

    def column(header: Header, kind: str, field_name: str, carries: str, write: Callable, form: str,
               codes: dict | None = None) -> Column:
        text, style = _header_text(rng, header, kind, xlsx)
        return Column(text, field_name, header.known, carries, write, f"{form}; header {style}", style,
                      header.reordered, codes or {})

    if spec.split and rng.random() < 0.35:
        date_header, time_header = rng.choice([p for p in spec.split if p[0].known or rng.random() < mapping_rate]
                                              or spec.split[:1])
        date_name, date_write = _form(rng, DATE_FORMS, xlsx)
        time_name, time_write = _form(rng, TIME_FORMS, xlsx)
        return [column(date_header, DATE, spec.name, spec.name,
                       lambda r: None if r[spec.name] is None else date_write(r[spec.name].date()), f"date {date_name}"),
                column(time_header, "time", spec.time_field, spec.name,
                       lambda r: None if r[spec.name] is None else time_write(r[spec.name].time()), f"time {time_name}")]
    if spec.ages and rng.random() < 0.4:
        return _age_columns(rng, spec, shape, xlsx, mapping_rate, column)
    form, write = _value_writer(rng, spec, records, xlsx, shape)
    header = _pick_header(rng, spec.headers, mapping_rate)
    codes = {code: write(code) for code in {r[spec.name] for r in records} - {None}} if spec.kind == CODE else None
    return [column(header, spec.kind, spec.name, spec.name, lambda r: write(r[spec.name]), form, codes)]


def _age_columns(rng: random.Random, spec: Spec, shape: Shape, xlsx: bool, mapping_rate: float,
                 column: Callable[..., Column]) -> list[Column]:
    """A care leaver's birthday as the age reached: in the birthday column itself
    ('18', '18th', 'Age 18'), or in an 'Age at birthday' column instead of the birthday."""
    def age(r: dict) -> int:
        return r["birthday"].year - r["date_of_birth"].year

    def nth(r: dict) -> str:
        return f"{age(r)}{'st' if age(r) == 21 else 'th'}"

    written = rng.choice(["number", "18th", "Age 18", "18th birthday"])
    write = {"number": (lambda r: age(r)) if xlsx else (lambda r: str(age(r))),
             "18th": nth,
             "Age 18": lambda r: f"Age {age(r)}",
             "18th birthday": lambda r: f"{nth(r)} birthday"}[written]
    if rng.random() < 0.5:
        header = _pick_header(rng, spec.headers, mapping_rate)
        return [column(header, INTEGER, "birthday", "birthday", write, f"birthday as the age reached, {written}")]
    header = _pick_header(rng, spec.ages, mapping_rate)
    write = (lambda r: age(r)) if xlsx else (lambda r: str(age(r)))
    return [column(header, INTEGER, "age_at_birthday", "birthday", write, "age at birthday instead of the birthday")]


def _trailer(rng: random.Random, shape: Shape, width: int) -> list[list[Any]]:
    """Totals, footers and notes below the data: skipped, whatever numbers stand beside them."""
    count = len(shape.records)
    totals = [["Total", count], ["Grand Total", None, count], ["Count", count], [f"Total records: {count}"],
              [None, "Total", count], ["TOTAL", *([None] * max(0, width - 2)), count], ["Number of records", count]]
    footers = [["Report run on 01/10/2019 09:14"], ["End of report"], ["* excludes respite"], ["Source: Mosaic"],
               ["Printed on 01/10/2019 by BI team"], ["Page 1 of 1"], ["Data as at 30/09/2019"],
               ["Notes: figures are provisional"]]
    rows: list[list[Any]] = []
    if rng.random() < 0.6:
        rows.append(rng.choice(totals))
    rows += rng.sample(footers, rng.randint(0, 3))
    if rng.random() < 0.3:
        rows.append(["Please contact the BI team with any queries"])  # a note with no footer word, at the very end
    return rows


def make_shape(dataset: str, seed: int, *, mapping_rate: float = 0.15, empty: bool | None = None) -> Shape:
    """A seeded shape of one dataset's export. `mapping_rate`: how often a field is worded
    so that the analyst must map it; `empty`: a header-only export (None: sometimes)."""
    rng = random.Random(f"{dataset}-{seed}")
    xlsx = rng.random() < 0.5
    shape = Shape(seed=seed, dataset=dataset, records=_records(rng, dataset, empty), columns=[],
                  file_format="xlsx" if xlsx else "csv")
    shape.columns = _all_columns(rng, shape, xlsx, mapping_rate)
    _arrange(rng, shape)
    if xlsx:
        shape.sheet = rng.choice(["Sheet1", "Report", "Data", "Export", DATASETS[dataset].titles[0][:25]])
        if rng.random() < 0.3:
            shape.other_sheets = (rng.choice(["Filters", "Parameters", "Summary"]),)
    else:
        shape.encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
        shape.delimiter = rng.choice([",", ",", ";", "\t"])
    return shape


def _records(rng: random.Random, dataset: str, empty: bool | None) -> list[dict]:
    """The canonical records, one or two now and then left out, in the export's own order."""
    if empty is None:
        empty = rng.random() < 0.08
    records = [] if empty else [dict(r) for r in DATASETS[dataset].records]
    if records and rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            records.pop(rng.randrange(len(records)))
    rng.shuffle(records)
    return records


def _all_columns(rng: random.Random, shape: Shape, xlsx: bool, mapping_rate: float) -> list[Column]:
    """Every field's column(s) (optional ones now and then left out), sometimes the child
    id twice with the same values, columns the product does not use, in any order."""
    spec_set = DATASETS[shape.dataset]
    columns: list[Column] = []
    for spec in spec_set.specs:
        if not (spec.required or (spec.needed and spec.needed(spec_set.records))) and rng.random() < 0.2:
            shape.choices.append(f"no {spec.name} column")
            continue
        columns += _columns_for(rng, spec, shape, xlsx, mapping_rate)
    if rng.random() < 0.15:
        first = next(c for c in columns if c.field == "child_id")
        other = next(h for h in CHILD_ID.headers if h.known and h.text.lower() not in first.header.lower())
        columns.append(Column(other.text, "child_id", True, None, first.cell, "child id again, same values"))
        shape.choices.append(f"child id twice: {first.header!r} and {other.text!r}")
    for header, values in rng.sample(spec_set.extras, rng.randint(0, 2)):
        columns.append(Column(header, None, True, None, lambda r, v=values: v[sum(map(ord, str(r))) % len(v)],
                              "extra"))
    rng.shuffle(columns)
    return columns


def _arrange(rng: random.Random, shape: Shape) -> None:
    """What surrounds the data: a blank margin column, title rows, blank rows between
    records, totals, footers and notes below."""
    shape.margin = 1 if rng.random() < 0.2 else 0
    shape.titles = _titles(rng, DATASETS[shape.dataset])
    shape.blank_before = {i for i in range(1, len(shape.records)) if rng.random() < 0.15}
    shape.blank_style = rng.choice(["empty", "delimiters"])
    shape.trailer = _trailer(rng, shape, len(shape.columns))


def _titles(rng: random.Random, spec_set: Dataset) -> list[str | None]:
    pool = [*spec_set.titles, "Run on 01/10/2019 09:14 by BI team", None, "Filters: all open cases"]
    return rng.sample(pool, rng.randint(0, 3))


def plain_shape(dataset: str, seed: int = 0, records: Sequence[dict] | None = None) -> Shape:
    """The dataset's export as the template writes it: first headers, codes, dd/mm/yyyy
    text, Y/N, no titles nor trailer. For files a test needs beside the one it varies."""
    writers = {DATE: lambda v: v.strftime("%d/%m/%Y"), DATETIME: lambda v: v.strftime("%d/%m/%Y %H:%M"),
               FLAG: lambda v: "Y" if v else "N"}
    columns = [Column(spec.headers[0].text, spec.name, True, spec.name,
                      lambda r, n=spec.name, w=writers.get(spec.kind, str): None if r[n] is None else w(r[n]), "plain")
               for spec in DATASETS[dataset].specs]
    records = DATASETS[dataset].records if records is None else records
    return Shape(seed=seed, dataset=dataset, records=[dict(r) for r in records], columns=columns,
                 file_format="csv", choices=["plain"])


# --- Writing a shape as a file ------------------------------------------------------------------

@dataclass
class Written:
    path: Path
    header_row: int
    """The spreadsheet row of the header (Excel's numbering; a CSV line number)."""
    record_rows: list[int]
    """The row of each record, in `Shape.records` order."""
    trailer_rows: list[int]
    """Rows of totals, footers and notes: reported as skipped, never loaded."""
    sheet: str | None


def layout(shape: Shape, header: bool = True) -> tuple[list[list[Any]], Written]:
    """The rows of the file as the analyst sees them, and where each record is."""
    pad = [None] * shape.margin
    rows: list[list[Any]] = [pad + [title] if title else [] for title in shape.titles]
    header_row = len(rows) + 1
    if header:
        rows.append(pad + [c.header for c in shape.columns])
    record_rows = []
    for i, record in enumerate(shape.records):
        if i in shape.blank_before:
            rows.append([] if shape.blank_style == "empty" else [None] * (len(shape.columns) + shape.margin))
        rows.append(pad + [c.cell(record) for c in shape.columns])
        record_rows.append(len(rows))
    trailer_rows = []
    for row in shape.trailer:
        rows.append(pad + list(row))
        trailer_rows.append(len(rows))
    return rows, Written(Path(shape.file_name), header_row, record_rows, trailer_rows, shape.sheet)


def write_shape(shape: Shape, folder: Path, header: bool = True) -> Written:
    rows, written = layout(shape, header)
    written.path = folder / shape.file_name
    if shape.file_format == "xlsx":
        write_workbook(written.path, {shape.sheet: rows}, shape.other_sheets)
    else:
        write_text_csv(written.path, rows, shape.encoding, shape.delimiter)
    return written


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]], other_sheets: Sequence[str] = ()) -> Path:
    """An xlsx written with openpyxl: dates as real date cells, times as time cells,
    blank cells left out (so blank rows are really blank)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in other_sheets:  # before the data: the product looks at every sheet
        workbook.create_sheet(name).append(["Parameters"] if name != "Summary" else ["District", "Count"])
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
                elif isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(value, dt.time):
                    cell.number_format = "hh:mm"
    workbook.save(path)
    return path


def write_text_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """CSV text as Windows tools save it, in `encoding` ('utf-16' has a byte-order mark,
    'utf-16-le' and 'utf-16-be' have none, 'utf-8-sig' is Excel's "CSV UTF-8")."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else str(v) for v in row] for row in rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path
