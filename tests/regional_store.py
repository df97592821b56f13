"""A regional store: two councils' generated extracts in one store, and accounts bound to each.

Council A is Leicestershire and B Gloucestershire, its closest statistical neighbour in the
DfE's 2025 model, so A's neighbour comparison can be computed from B's data. Each is the
demo county's simulation with its own seed, over two months (small, so the tests are quick),
loaded through `scorecard ingest`'s own code under each council's code. The deployment's
council (SCORECARD_COUNCIL) is B, so that a user bound to A proves the binding wins.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.demo import generate_demo
from scorecard.access.accounts import add_user

COUNCIL_A, NAME_A = "E10000018", "Leicestershire"
COUNCIL_B, NAME_B = "E10000013", "Gloucestershire"
DEFAULT_COUNCIL = COUNCIL_B
SEEDS = {COUNCIL_A: 11, COUNCIL_B: 12}
MONTHS, PERIOD = 2, "2025-03"
PASSWORD = "a long regional password"
# username: (role, council bound to; None for the deployment's)
ACCOUNTS = {"viewer-a": ("viewer", COUNCIL_A), "manager-a": ("manager", COUNCIL_A),
            "analyst-a": ("analyst", COUNCIL_A), "viewer-b": ("viewer", COUNCIL_B),
            "manager-b": ("manager", COUNCIL_B), "regional-admin": ("admin", None)}


@dataclass(frozen=True)
class Generated:
    folder: Path
    months: dict[str, list[tuple[str, list[Path]]]]
    """council -> [(period, its six workbooks)], oldest first."""


def generate(folder: Path, councils: tuple[str, ...] = tuple(SEEDS)) -> Generated:
    return Generated(folder, {council: generate_demo(folder / council, months=MONTHS, last_period=PERIOD,
                                                     seed=SEEDS[council], workers=1, return_history_years=0).months
                              for council in councils})


def empty_store_url(backend: str, folder: Path) -> str:
    """A new SQLite file in `folder`, or TEST_POSTGRES_URL emptied (skipped without one,
    failed in CI), as conftest's `engine` fixture does for one test."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'scorecard.db'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: CI must run every test against PostgreSQL")
        pytest.skip("no PostgreSQL server: run `make test` (starts one) or set TEST_POSTGRES_URL")
    from sqlalchemy import create_engine

    from scorecard import store

    fresh = create_engine(url)
    store.metadata.drop_all(fresh)
    with fresh.begin() as conn:  # Alembic's version table too: the store starts new
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    fresh.dispose()
    return url


def load(url: str, generated: Generated) -> None:
    """Both councils' months and the accounts into the store at `url` (DATABASE_URL set to it)."""
    from scorecard import store
    from scorecard.cli import ingest_files

    for council, months in generated.months.items():
        for period, files in months:
            assert ingest_files(files, period, None, council, quiet=True, show_changes=False) == 0, (council, period)
    for username, (role, council) in ACCOUNTS.items():
        if council is not None and council not in generated.months:
            continue
        add_user(store.engine(url), username, role, f"Test {username}", PASSWORD, council=council)
