"""One upload from files to the store, as `scorecard ingest` and the browser's upload page
both run it: check (validate against the store, write nothing), then load it or record
its refusal, with the audit log written in the same transaction as the load.

The audit event "upload" holds what the data-quality page lists for every load, loaded or
refused: {"files": [...], "status": "loaded"|"refused", "council", "months",
"problems": [the first 200, errors first], "problems_total", "errors", "warnings",
"datasets": {dataset: {file, sheet, rows, months, extract_id, changes}}}; a load that
supersedes an extract also records "supersede" for it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ingest.load import Written, write_upload
from ingest.problems import Report, Severity
from ingest.readers import SourceFile, read_file
from ingest.upload import Upload, validate_upload
from scorecard import store
from scorecard.access import audit
from scorecard.periods import CollectionYear

PROBLEMS_KEPT = 200
LOADED, REFUSED = "loaded", "refused"


@dataclass(frozen=True)
class FileFacts:
    name: str
    sha256: str | None
    """None when the file could not be read at all."""
    size: int | None = None


@dataclass
class CheckedUpload:
    """An upload validated against the store: what would be loaded, and from which files."""
    upload: Upload
    files: list[FileFacts]
    sources: list[SourceFile] = field(default_factory=list)
    """The files as read, when the caller asked to keep them (the browser reads title rows
    and headers from them); the command line lets them go as soon as each is parsed."""

    @property
    def ok(self) -> bool:
        return self.upload.ok


def check(files: Iterable[Path], period: str | None, year: CollectionYear | None, council: str, *,
          engine: Engine, dataset: str | None = None, sheet: str | None = None,
          read: Callable[[Path], SourceFile] = read_file, progress: Callable[[Path], None] = lambda path: None,
          keep_sources: bool = False, sizes: Mapping[str, int] | None = None,
          force_month: bool = False) -> CheckedUpload:
    """Validate the files against the council's store (its mappings, references and current
    records) and work out what loading them would change; writes nothing. `force_month`:
    load files whose dates point at another month than `period` (`ingest.month_check`)."""
    files = [Path(f) for f in files]
    sources: list[SourceFile] = []
    read_ok: dict[str, SourceFile] = {}

    def recording_read(path: Path) -> SourceFile:
        source = read(path)
        read_ok[Path(path).name] = source
        if keep_sources:
            sources.append(source)
        return source

    with store.read_connection(engine) as conn:
        upload = validate_upload(files, period, council, conn=conn, dataset=dataset, sheet=sheet,
                                 progress=progress, read=recording_read, year=year, force_month=force_month)
    facts = []
    for path in files:
        source = read_ok.get(path.name)
        size = (sizes or {}).get(path.name)
        if size is None and path.is_file():
            size = path.stat().st_size
        facts.append(FileFacts(path.name, source.sha256 if source else None, size))
    return CheckedUpload(upload, facts, sources)


def load(engine: Engine, checked: CheckedUpload, loaded_by: str, context: Mapping[str, Any] | None = None,
         actor: str | None = None) -> list[Written]:
    """Write a valid upload and its audit events in one transaction (NotLoadable if it has
    errors: nothing is written). `context` adds to the "upload" event's details (e.g. how
    the month was found); `actor` is who the audit log names (default: whoever is asking,
    `scorecard.access.audit.actor`)."""
    with store.write_transaction(engine) as conn:
        written = write_upload(conn, checked.upload, loaded_by)
        audit.record(conn, "upload", subject=_subject(checked.upload), council=checked.upload.council,
                     details=upload_details(checked, LOADED, written, context), who=actor)
        for extract in written:
            if extract.superseded:
                audit.record(conn, "supersede", subject=f"extract {', '.join(map(str, extract.superseded))}",
                             council=checked.upload.council, who=actor, details={
                                 "dataset": extract.table.dataset.name, "superseded": list(extract.superseded),
                                 "by": extract.extract_id, "file": extract.table.file,
                                 "months": _months(extract.table.first_month, extract.table.last_month)})
    return written


def record_refused(engine: Engine, checked: CheckedUpload, context: Mapping[str, Any] | None = None,
                   actor: str | None = None) -> int:
    """Record in the audit log that an upload was refused, with its problems; nothing else
    is written. Returns the event's id."""
    with store.write_transaction(engine) as conn:
        return audit.record(conn, "upload", subject=_subject(checked.upload), council=checked.upload.council,
                            details=upload_details(checked, REFUSED, [], context), who=actor)


def _months(first: str | None, last: str | None) -> str | None:
    if first is None:
        return None
    return first if first == last else f"{first}..{last}"


def _subject(upload: Upload) -> str:
    months = sorted({m for t in upload.tables for m in (t.first_month, t.last_month) if m})
    if months:
        return f"{upload.council} {_months(months[0], months[-1])}"
    return f"{upload.council} {upload.period or upload.year or '(no month)'}"


def problem_rows(report: Report, limit: int = PROBLEMS_KEPT) -> list[dict]:
    """The report's problems as plain rows, errors first, then warnings, then information."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ranked = sorted(report, key=lambda p: order[p.severity])
    return [{"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column,
             "value": None if p.value is None else str(p.value), "message": p.message,
             "severity": p.severity.value, "code": p.code} for p in ranked[:limit]]


def upload_details(checked: CheckedUpload, status: str, written: list[Written] = (),
                   context: Mapping[str, Any] | None = None) -> dict:
    """The "upload" audit event's details (see the module's docstring)."""
    upload = checked.upload
    report = upload.report
    extract_ids = {w.table.dataset.name: w.extract_id for w in written}
    tables = upload.tables if status == LOADED else upload.found
    datasets: dict[str, dict] = {}
    for table in tables:
        entry = {"file": table.file, "sheet": table.sheet, "rows": len(table),
                 "months": _months(table.first_month, table.last_month),
                 "mapping_version": table.mapping.version if table.mapping else None}
        changes = upload.changes.get(table.dataset.name)
        if changes is not None:
            entry["changes"] = {"new": changes.new, "updated": changes.updated, "unchanged": changes.unchanged,
                                "older": changes.older, "dropped": changes.dropped, "ended": changes.ended,
                                "withdrawn": changes.withdrawn,
                                "superseded": [e["id"] for e in changes.superseded]}
        if table.dataset.name in extract_ids:
            entry["extract_id"] = extract_ids[table.dataset.name]
        datasets.setdefault(table.dataset.name, entry)
    months = sorted({m for t in upload.tables for m in (t.first_month, t.last_month) if m})
    return {
        **dict(context or {}),
        "status": status,
        "council": upload.council,
        "files": [{"name": f.name, "sha256": f.sha256, "bytes": f.size} for f in checked.files],
        "months": months or ([upload.period] if upload.period else []),
        "year": str(upload.year) if upload.year else None,
        "rows": upload.row_count if status == LOADED else sum(len(t) for t in upload.found),
        "datasets": datasets,
        "problems_total": len(report),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "problems": problem_rows(report),
    }
