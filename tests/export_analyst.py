"""An analyst at the command line against one store: loads files with `scorecard ingest`,
reads back what was stored, reported and computed. Shared by the export tests."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

import export_shapes as shapes
from export_shapes import PERIOD, plain_shape, write_shape
from scorecard import store
from scorecard.cli import main

COUNCIL = "E10000016"


@dataclass
class Outcome:
    """One `scorecard ingest` run: its exit code, output and every problem it reported."""

    exit_code: int
    output: str
    problems: list[dict]

    def having(self, code: str, severity: str | None = None) -> list[dict]:
        return [p for p in self.problems if p["code"] == code and (severity is None or p["severity"] == severity)]

    @property
    def errors(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "warning"]


class Analyst:
    """What an analyst does at the command line, against one store."""

    def __init__(self, engine, folder: Path):
        self.engine, self.folder = engine, folder
        self.runs = 0

    def cli(self, *args: str):
        return CliRunner().invoke(main, list(args))

    def ingest(self, files: Sequence[Path], period: str = PERIOD, dry_run: bool = False) -> Outcome:
        self.runs += 1
        report = self.folder / f"problems-{self.runs}.json"
        result = self.cli("ingest", "--quiet", *map(str, files), "--period", period, "--council", COUNCIL,
                          "--report", str(report), *(["--dry-run"] if dry_run else []))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        problems = json.loads(report.read_text()) if report.exists() else []
        return Outcome(result.exit_code, result.output, problems)

    def dump(self) -> dict:
        with self.engine.connect() as conn:
            return store.dump(conn)

    def report(self, period: str = PERIOD) -> dict[str, dict]:
        result = self.cli("report", "--format", "json", "--period", period, "--council", COUNCIL)
        assert result.exit_code == 0, result.output
        return {row["indicator"]: row for row in json.loads(result.stdout)["indicators"]}

    def extracts(self) -> list[dict]:
        result = self.cli("extracts", "--json", "--council", COUNCIL)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def current_extract(self, dataset: str, period: str = PERIOD) -> dict:
        found = [e for e in self.extracts() if e["dataset"] == dataset and e["status"] == "current"
                 and e["first_month"] == period]
        assert len(found) == 1, f"current {dataset} extracts for {period}: {found}"
        return found[0]

    def rows(self, dataset: str, extract_id: int) -> list[dict]:
        table = store.RECORD_TABLES[dataset]
        with self.engine.connect() as conn:
            query = select(table).where(table.c.extract_id == extract_id).order_by(table.c.source_row)
            return [dict(row._mapping) for row in conn.execute(query)]


def normal(header: str) -> str:
    """A header as the product quotes it: its whitespace collapsed."""
    return " ".join(header.split())


def where(problem: dict) -> str:
    return f"{problem['file']} sheet={problem['sheet']} row={problem['row']} column={problem['column']}"


def listing(problems: Sequence[dict]) -> str:
    return "\n".join(f"  {p['severity']} {p['code']} {where(p)} value={p['value']}: {p['message']}" for p in problems)


def plain_file(dataset: str, folder: Path) -> Path:
    return write_shape(plain_shape(dataset), folder).path


def months_before(period: str, count: int) -> list[str]:
    """The `count` months before `period`, earliest first: months_before('2019-09', 2) == ['2019-07', '2019-08']."""
    year, month = map(int, period.split("-"))
    index = year * 12 + month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - count, index)]


def load_empty_months(analyst: Analyst, dataset: str, folder: Path, months: int) -> None:
    """Header-only extracts for the months before September 2019."""
    (folder / "earlier").mkdir(exist_ok=True)
    empty = write_shape(plain_shape(dataset, records=()), folder / "earlier").path
    for period in months_before(PERIOD, months):
        outcome = analyst.ingest([empty], period=period)
        assert outcome.exit_code == 0, listing(outcome.problems)


def csv_file(folder: Path, name: str, rows: list[list], encoding: str = "utf-8") -> Path:
    return shapes.write_text_csv(folder / name, rows, encoding)
