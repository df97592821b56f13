"""Shared fixtures: a real store on SQLite and on PostgreSQL, and writers of messy files.

Store tests run once per backend. PostgreSQL comes from TEST_POSTGRES_URL (`make test`
starts a throwaway server with .ci/postgres.sh). Without it the PostgreSQL cases are
skipped with the reason printed, except in CI, where they fail.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from scorecard import store


def _postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
        event.listen(eng, "connect", store._tune_sqlite)
    else:
        url = _postgres_url()
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("TEST_POSTGRES_URL is not set: CI must run every test against PostgreSQL")
            pytest.skip("no PostgreSQL server: run `make test` (starts one) or set TEST_POSTGRES_URL")
        eng = create_engine(url)
        store.metadata.drop_all(eng)
    store.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def database_url(engine, monkeypatch):
    """The engine's URL set as DATABASE_URL, for CLI tests."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    store.engine.cache_clear()
    yield url
    store.engine.cache_clear()


def write_xlsx(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None,
               date_format: str = "dd/mm/yyyy") -> Path:
    """A real workbook written with openpyxl (another writer than the one the app uses)."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = date_format + " hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = date_format
        for cells in (merge or {}).get(name, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path
