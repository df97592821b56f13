"""Settings declared once, as data: name, environment variable, default and help.

Everything configurable about a deployment is read here and nowhere else, so the
README's settings table and the code cannot drift apart (a test checks the README
mentions every environment variable below).
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env) or self.default


DATABASE_URL = Setting(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'scorecard.db'}",
    "SQLAlchemy URL of the store; the default is an embedded SQLite file under data/. "
    "For PostgreSQL: postgresql+psycopg://user:password@host/dbname",
)
COUNCIL = Setting(
    "SCORECARD_COUNCIL",
    "E10000099",
    "Code of the council whose data is loaded when `--council` is not given "
    "(the demo county is E10000099; use your ONS E06/E08/E09/E10 code).",
)
LOADED_BY = Setting(
    "SCORECARD_USER",
    "",
    "Name recorded as `loaded_by` on each extract; defaults to the operating-system user.",
)

NEIGHBOUR_MODEL = Setting(
    "SCORECARD_NEIGHBOUR_MODEL",
    "2025",
    "Which DfE statistical neighbour model names the council's ten neighbours: 2025 (May 2025, "
    "the default) or 2021 (April 2021).",
)
NEIGHBOUR_AVERAGE = Setting(
    "SCORECARD_NEIGHBOUR_AVERAGE",
    "mean",
    "How the neighbours' published figures are averaged: mean (the default, as the DfE's LAIT "
    "shows it) or median (as the DfE's children's social care dashboard).",
)

ALL_SETTINGS = [DATABASE_URL, COUNCIL, LOADED_BY, NEIGHBOUR_MODEL, NEIGHBOUR_AVERAGE]


class SettingError(ValueError):
    """A setting with a value it cannot take: refused at start-up, with the choices."""


def neighbour_model() -> str:
    return _one_of(NEIGHBOUR_MODEL, ("2025", "2021"))


def neighbour_average() -> str:
    return _one_of(NEIGHBOUR_AVERAGE, ("mean", "median"))


def _one_of(setting: Setting, choices: tuple[str, ...]) -> str:
    value = setting.value().strip().lower()
    if value not in choices:
        raise SettingError(f"{setting.env}={setting.value()!r}: it must be one of {', '.join(choices)}")
    return value


def database_url() -> str:
    return DATABASE_URL.value()


def default_council() -> str:
    """The council's ONS code; the setting may give its LA number instead (855)."""
    from scorecard.councils import UnknownCouncil, code_for

    try:
        return code_for(COUNCIL.value())
    except UnknownCouncil:
        return COUNCIL.value().strip()  # the pages then say there are no figures for it


def current_user() -> str:
    if LOADED_BY.value():
        return LOADED_BY.value()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
