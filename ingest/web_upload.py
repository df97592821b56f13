"""The browser's upload, as plain functions (the page's callbacks reach them through
scorecard.ui.upload_view; tests call them without Dash): check the dropped files, save a
column mapping, load. Each takes the identity asking and checks its permission itself.

The files stay in memory: the browser sends them (base64, as dcc.Upload gives them) with
each request, and they are read from bytes (ingest.readers.read_bytes), never written to
disk. Each is accepted only as what its bytes are (an .xlsx workbook or a text CSV file,
ingest.file_guard), within SCORECARD_MAX_UPLOAD_MB together.

The check and the load are `scorecard ingest`'s (ingest.loading): the same validation,
the same changes summary, the same one-transaction write, with the audit log in it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest import loading, ssda903
from ingest.file_guard import FileRefused, check_named_kind, check_size
from ingest.mapping_choices import SheetChoices, sheet_choices
from ingest.mappings import MappingError, current_mappings, set_column
from ingest.problems import Problem, Severity
from ingest.readers import ReadError, SourceFile, read_bytes
from ingest.upload import Upload
from ingest.upload_council import other_council_problems
from ingest.upload_month import MonthFound, find_month
from scorecard import settings, store
from scorecard.access import Identity, Permission, audit, council_for
from scorecard.councils import find as find_council
from scorecard.periods import CollectionYear, month_first, normal_month

UPLOAD_FILE = "(upload)"


def month_label(period: str) -> str:
    """'2019-09' -> 'September 2019' (as scorecard.ui.text writes months, which ingest may not import)."""
    return month_first(period).strftime("%B %Y")


@dataclass(frozen=True)
class Received:
    name: str
    data: bytes


@dataclass
class FileSummary:
    name: str
    size: int
    sha256: str | None
    found: list[str] = field(default_factory=list)
    """What was recognised in it: 'Statutory visits (sheet Visits, 568 rows)'."""


@dataclass
class Preview:
    """What the page shows after a check."""
    council: str
    council_name: str
    files: list[FileSummary]
    month: str | None
    month_how: str
    """How the month was found, or why it was not."""
    month_clues: list[str]
    problems: list[dict]
    changes: list[str]
    mappings_used: list[str]
    choices: list[SheetChoices]
    ok: bool
    fingerprint: str
    """The files' SHA-256s and the month: the load refuses anything else."""
    rows: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == Severity.ERROR.value)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == Severity.WARNING.value)


@dataclass
class Loaded:
    ok: bool
    message: str
    stages: list[str]
    problems: list[dict] = field(default_factory=list)
    extract_ids: list[int] = field(default_factory=list)


def council_of(who: Identity) -> str:
    """The only council `who` may load into: their account's, else the deployment's."""
    return council_for(who)


def decode(contents: list[str] | None, names: list[str] | None) -> list[Received]:
    """dcc.Upload's data URLs as bytes, each file named by its base name only."""
    received = []
    for content, name in zip(contents or [], names or []):
        payload = content.split(",", 1)[1] if "," in content else content
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            data = b""  # refused below as empty, with the file named
        received.append(Received(Path(str(name)).name or "unnamed", data))
    return received


def _reader(files: list[Received], max_bytes: int):
    """Read a received file by name, after the checks an upload gets beyond the command
    line's: its kind by content, and the size limit."""
    by_name = {f.name: f.data for f in files}

    def read(path: Path) -> SourceFile:
        data = by_name[Path(path).name]
        try:
            check_size(data, max_bytes)
            if data.strip():
                check_named_kind(path.name, data)
        except FileRefused as exc:
            raise ReadError(str(exc)) from exc
        return read_bytes(path, data)
    return read


def _upload_problems(files: list[Received], max_bytes: int) -> list[Problem]:
    """Problems with the upload as a whole: nothing dropped, too much, the same name twice."""
    if not files:
        return [Problem("no-files", "no file was dropped: drop the month's .xlsx or .csv files", file=UPLOAD_FILE)]
    problems = []
    total = sum(len(f.data) for f in files)
    if total > max_bytes:
        problems.append(Problem("too-large", f"the {len(files)} files hold {total / 2**20:,.1f} MB together; the upload "
                                f"limit is {max_bytes / 2**20:,.0f} MB (SCORECARD_MAX_UPLOAD_MB): load them in parts",
                                file=UPLOAD_FILE))
    seen = set()
    for f in files:
        if f.name in seen:
            problems.append(Problem("duplicate-file", "two files have this name: drop each file once", file=f.name))
        seen.add(f.name)
    return problems


def fingerprint(files: list[Received], month: str | None) -> str:
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f.name.encode() + b"\0" + hashlib.sha256(f.data).digest())
    digest.update((month or "").encode())
    return digest.hexdigest()


def _checked(files: list[Received], month: str | None, council: str) -> loading.CheckedUpload:
    max_bytes = settings.max_upload_bytes()
    refused = _upload_problems(files, max_bytes)
    if refused:  # before reading anything
        upload = Upload(period=month, council=council)
        upload.report.extend(refused)
        return loading.CheckedUpload(upload, [loading.FileFacts(f.name, None, len(f.data)) for f in files])
    checked = loading.check([Path(f.name) for f in files], month, None, council, engine=store.engine(),
                            read=_reader(files, max_bytes), keep_sources=True,
                            sizes={f.name: len(f.data) for f in files})
    # The uploader loads into their own council only: a file that names another is refused.
    checked.upload.report.extend(other_council_problems(checked.sources, council))
    return checked


def _month_how(found: MonthFound, typed: str | None) -> tuple[str | None, str]:
    if typed and typed == found.month:
        return typed, f"{month_label(typed)}, found in the files (see below) and kept in the month field."
    if typed:
        named = [c for c in found.clues if c.month != typed]
        warning = (f" The files suggest {', '.join(month_label(m) for m in sorted({c.month for c in named}))}: "
                   "check that the month is right.") if named else ""
        return typed, f"{month_label(typed)}, as you gave it.{warning}"
    if found.month:
        return found.month, f"{month_label(found.month)}, found in the files (see below): correct it if it is wrong."
    if found.conflicting:
        return None, ("The files name different months (" + ", ".join(month_label(m) for m in found.months)
                      + "): give the month they are as at.")
    return None, "The month could not be found in the files' names, titles or dates: give the month they are as at."


def _summaries(files: list[Received], checked: loading.CheckedUpload) -> list[FileSummary]:
    facts = {f.name: f for f in checked.files}
    summaries = {f.name: FileSummary(f.name, len(f.data), facts[f.name].sha256 if f.name in facts else None)
                 for f in files}
    for table in checked.upload.found:
        if table.file in summaries:
            sheet = f"sheet '{table.sheet}', " if table.sheet else ""
            rows = f"{len(table):,} row{'s' if len(table) != 1 else ''}"
            summaries[table.file].found.append(f"{table.dataset.title} ({sheet}{rows})")
    return list(summaries.values())


def check(who: Identity, contents: list[str] | None, names: list[str] | None,
          month_text: str | None = None) -> Preview:
    """Check the dropped files: the dataset of each file and sheet, the month (found or as
    typed) and the council; every problem, or what loading them would change. A refused
    upload is recorded in the audit log (the analyst dropped the files to load them),
    unless all it lacks is its month: that is a question to the analyst, not a refusal."""
    who.require(Permission.UPLOAD)
    council = council_of(who)
    files = decode(contents, names)
    typed = None
    bad_month = None
    if month_text and month_text.strip():
        try:
            typed = normal_month(month_text)
        except ValueError as exc:
            bad_month = str(exc)
    first = _checked(files, typed, council)
    found = find_month(first.sources, first.upload.found)
    month, how = _month_how(found, typed)
    if any(t.dataset.source_format == ssda903.FORMAT for t in first.upload.found):
        how += (f" An SSDA903 return is loaded for the collection year {CollectionYear.of_month(month)}, which "
                "this month is in." if month else " For an SSDA903 return, any month of its collection year will do.")
    if bad_month:
        month, how = None, f"The month {bad_month}."
    # The first check had the month already when it was typed; one found in the files needs a second.
    checked = _checked(files, month, council) if month is not None and month != typed else first
    report = checked.upload.report
    if month is None:  # the upload's own words, not the command line's --period and --year
        report[:] = [p for p in report if p.code not in ("missing-period", "missing-year")]
        report.insert(0, Problem("missing-period", how, file=UPLOAD_FILE))
    if not checked.ok and (month is not None or len(report.errors) > 1):
        loading.record_refused(store.engine(), checked, {"source": "browser", "month_found": how}, who.username)
    mappings = {}
    if who.can(Permission.MAPPINGS):
        with store.read_connection(store.engine()) as conn:
            mappings = current_mappings(conn, council)
    known = find_council(council)
    upload = checked.upload
    return Preview(
        council=council, council_name=known.name if known else council, files=_summaries(files, checked),
        month=month, month_how=how, month_clues=[c.describe() for c in found.clues],
        problems=loading.problem_rows(report, limit=len(report)),
        changes=[line for changes in upload.changes.values() for line in changes.lines()],
        mappings_used=[f"{m.dataset}: {m.council}'s saved mapping, version {m.version} ({'; '.join(m.describe())})"
                       for m in upload.mappings_used],
        choices=sheet_choices(checked.sources, mappings) if who.can(Permission.MAPPINGS) else [],
        ok=checked.ok and month is not None, fingerprint=fingerprint(files, month), rows=upload.row_count)


def save_mapping(who: Identity, chosen: list[tuple[str, str, str]]) -> str:
    """Save (dataset, header as written, field) choices as new versions of the council's
    mappings, as `scorecard mapping set` does, with an audit event per dataset (before and
    after); all or none. Returns what was saved; MappingError says why not."""
    who.require(Permission.MAPPINGS)
    council = council_of(who)
    chosen = [(d, " ".join(h.split()), f) for d, h, f in chosen if f]
    if not chosen:
        raise MappingError("choose a field for at least one column")
    taken: dict[tuple[str, str], str] = {}
    for dataset, header, field_name in chosen:
        if (dataset, field_name) in taken and taken[(dataset, field_name)] != header:
            raise MappingError(f"'{taken[(dataset, field_name)]}' and '{header}' are both chosen for {field_name}: "
                               "choose one column for each field")
        taken[(dataset, field_name)] = header
    lines = []
    with store.write_transaction(store.engine()) as conn:
        before = current_mappings(conn, council)
        for dataset, header, field_name in chosen:
            set_column(conn, council, dataset, field_name, header, who.username)
        after = current_mappings(conn, council)
        for dataset in sorted({d for d, _, _ in chosen}):
            was = before.get(dataset)
            now = after[dataset]
            audit.record(conn, "mapping", subject=f"{council} {dataset}", council=council, who=who.username, details={
                "dataset": dataset, "version": now.version,
                "before": {"version": was.version, "columns": was.describe()} if was else None,
                "after": {"version": now.version, "columns": now.describe()}})
            lines.append(f"Saved version {now.version} of the mapping for {dataset}: {'; '.join(now.describe())}")
    return " ".join(lines)


def load(who: Identity, contents: list[str] | None, names: list[str] | None, month_text: str | None,
         previewed: str | None) -> Loaded:
    """Load the files checked in the preview, through `scorecard ingest`'s check and load,
    in one transaction; refused if anything differs from what was previewed."""
    who.require(Permission.UPLOAD)
    council = council_of(who)
    files = decode(contents, names)
    try:
        month = normal_month(month_text or "")
    except ValueError:
        return Loaded(False, "Nothing loaded: give the month the files are as at, and check them again.", [])
    if fingerprint(files, month) != previewed:
        return Loaded(False, "Nothing loaded: the files or the month changed since they were checked; check them "
                      "again and read the preview before loading.", [])
    started = time.perf_counter()
    checked = _checked(files, month, council)
    plural = "s" if len(files) != 1 else ""
    stages = [f"Read and checked {len(files)} file{plural} ({time.perf_counter() - started:.1f} s)"]
    context = {"source": "browser", "month_found": f"{month_label(month)}, confirmed by {who.username}"}
    if not checked.ok:
        loading.record_refused(store.engine(), checked, context, who.username)
        problems = loading.problem_rows(checked.upload.report, limit=len(checked.upload.report))
        return Loaded(False, f"Nothing loaded: {len(checked.upload.report.errors)} errors; the store is unchanged.",
                      stages, problems)
    upload = checked.upload
    writing = time.perf_counter()
    written = loading.load(store.engine(), checked, who.username, context, who.username)
    stages.append(f"Wrote {upload.row_count:,} rows in one transaction ({time.perf_counter() - writing:.1f} s)")
    ids = [w.extract_id for w in written]
    datasets = f"{len(upload.tables)} dataset{'s' if len(upload.tables) != 1 else ''}"
    return Loaded(True, f"Loaded {datasets}, {upload.row_count:,} rows for {council} "
                  f"{month_label(month)} as extracts {ids[0]}-{ids[-1]}.", stages, extract_ids=ids)
