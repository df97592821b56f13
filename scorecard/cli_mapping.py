"""`scorecard mapping`: tell the scorecard once how a council's exports word their columns and codes."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_options import council_option


def _saved(change) -> None:
    """Run one change of a mapping in a transaction; a bad one is refused with its reason."""
    from ingest.mappings import MappingError
    from scorecard import store

    try:
        with store.write_transaction(store.engine(create=True)) as conn:
            saved = change(conn)
    except MappingError as error:
        click.echo(f"Not saved: {error}", err=True)
        sys.exit(1)
    for mapping in saved if isinstance(saved, list) else [saved]:
        click.echo(f"Saved version {mapping.version} of {mapping.council}'s mapping for {mapping.dataset}:")
        for line in mapping.describe() or ["(nothing mapped)"]:
            click.echo(f"  {line}")


@click.group()
def mapping() -> None:
    """Saved column mappings: an export's own headers and code words, per council and dataset.

    Every later load of the council's files uses them; every change is kept as a version.
    """


@mapping.command("set")
@council_option
@click.option("--dataset", required=True, help="The dataset, e.g. missing_episodes (see `scorecard templates`).")
@click.option("--field", "field_name", required=True, help="The field, e.g. missing_from (the template's Notes sheet).")
@click.option("--header", required=True, help="The column header exactly as the export writes it.")
def set_command(council: str, dataset: str, field_name: str, header: str) -> None:
    """Read the column HEADER of the council's exports as FIELD."""
    from ingest.mappings import set_column

    _saved(lambda conn: set_column(conn, council, dataset, field_name, header, settings.current_user()))


@mapping.command("value")
@council_option
@click.option("--dataset", required=True)
@click.option("--field", "field_name", required=True, help="A coded field, e.g. outcome.")
@click.option("--value", "written", required=True, help="The value as the export writes it.")
@click.option("--code", required=True, help="The code it means (the template's Codes sheet).")
def value_command(council: str, dataset: str, field_name: str, written: str, code: str) -> None:
    """Read the value WRITTEN in the council's exports as CODE."""
    from ingest.mappings import set_value

    _saved(lambda conn: set_value(conn, council, dataset, field_name, written, code, settings.current_user()))


@mapping.command("unset")
@council_option
@click.option("--dataset", required=True)
@click.option("--field", "field_name", required=True)
@click.option("--header", default=None, help="One mapped header (default: every header mapped to the field).")
@click.option("--value", "written", default=None, help="A mapped value instead of a header.")
def unset_command(council: str, dataset: str, field_name: str, header: str | None, written: str | None) -> None:
    """Stop reading a header (or a value) as the field mapped to it; a new version."""
    from ingest.mappings import unset

    _saved(lambda conn: unset(conn, council, dataset, field_name, header, written, settings.current_user()))


@mapping.command("load")
@council_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(council: str, file: Path) -> None:
    """Apply a mapping file: a CSV with columns dataset, field, header (or value and code)."""
    from ingest.mappings import load_rows

    with file.open(encoding="utf-8-sig", newline="") as handle:
        rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    _saved(lambda conn: load_rows(conn, council, rows, settings.current_user()))


@mapping.command("show")
@council_option
@click.option("--dataset", default=None)
@click.option("--history", is_flag=True, help="Every version, with who made it, when and what changed.")
def show_command(council: str, dataset: str | None, history: bool) -> None:
    """The council's saved mappings (the current version of each, or every version)."""
    from ingest import mappings
    from scorecard import store

    with store.read_connection(store.engine()) as conn:
        versions = mappings.history(conn, council, dataset)
    if not history:
        versions = [(row, m) for row, m in versions if row["status"] == store.CURRENT]
    if not versions:
        click.echo(f"No saved mappings for {council}" + (f" {dataset}" if dataset else ""))
        return
    for row, saved in versions:
        click.echo(f"{saved.dataset} version {saved.version} ({row['status']}), by {row['created_by']} on "
                   f"{row['created_at']:%Y-%m-%d %H:%M}: {row['note']}")
        for line in saved.describe() or ["(nothing mapped)"]:
            click.echo(f"  {line}")
