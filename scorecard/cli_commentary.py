"""`scorecard commentary add|load|list`: officers' footnotes beside the figures."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_options import council_option


def _indicator_ids() -> set[str]:
    """The indicator ids in metrics.yaml, which every comment must name."""
    from scorecard.metrics import CatalogueError, load_catalogue

    try:
        return {indicator.id for indicator in load_catalogue().indicators}
    except CatalogueError as error:
        click.echo(f"metrics.yaml has {len(error.problems)} problem(s): run `scorecard metrics check`", err=True)
        sys.exit(1)


def _check_period(period: str | None, option: str = "--period") -> None:
    from ingest.commentary import period_problem

    if period is not None and (problem := period_problem(period)):
        raise click.BadParameter(problem, param_hint=option)


def finish_load(result, file: Path, council: str, noun: str) -> None:
    """Print a load's problems and what it loaded; exit 1 (the store unchanged) if it could not load."""
    from scorecard.cli import _print_report

    _print_report(result.report)
    if not result.ok:
        count = len(result.report.errors)
        click.echo(f"Nothing loaded: {count} problem{'s' if count != 1 else ''} in {file.name}; "
                   "the store is unchanged.", err=True)
        sys.exit(1)
    skipped = f" ({result.skipped} skipped: already loaded)" if result.skipped else ""
    click.echo(f"Loaded {result.loaded} {noun}{'s' if result.loaded != 1 else ''} from {file.name} "
               f"for {council}{skipped}")


@click.group()
def commentary() -> None:
    """Officers' commentary: a short footnote beside one indicator's figure for one month."""


@commentary.command("add")
@click.option("--indicator", required=True, help="The indicator's id in metrics.yaml, e.g. iha_in_timescale.")
@click.option("--period", required=True, help="The month of the figure, YYYY-MM.")
@click.option("--text", required=True, help="The footnote (at most 1,000 characters): plain text, or **bold**, *italic*, "
              "lines starting '- ' for a list and [words](https://address) for a link; no HTML.")
@click.option("--author", default=None, help="Who wrote it (default: the SCORECARD_USER setting, or your login).")
@council_option
def add_command(indicator: str, period: str, text: str, author: str | None, council: str | None) -> None:
    """Add a comment; earlier comments on the same figure are kept as earlier versions."""
    from ingest.commentary import CommentaryError, add_commentary
    from scorecard import store

    council = council or settings.default_council()
    try:
        added = add_commentary(store.engine(create=True), council, indicator, period, text,
                               author if author is not None else settings.current_user(),
                               known_indicators=_indicator_ids(), loaded_by=settings.current_user())
    except CommentaryError as error:
        click.echo(f"Not added: {error}", err=True)
        sys.exit(1)
    row = added.row
    if added.new:
        click.echo(f"Added comment {row['id']} on {row['indicator']} {row['period']} for {council} "
                   f"by {row['author']}")
    else:
        click.echo(f"Not added again: comment {row['id']} on {row['indicator']} {row['period']} already says this")


@commentary.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@council_option
def load_command(file: Path, council: str | None) -> None:
    """Load comments from a .csv or .xlsx file: all of them, or none.

    Columns: indicator, period (YYYY-MM), commentary (or text), author, and optionally
    written_at (a date or date and time; default: now). Rows already loaded are skipped.
    """
    from ingest.commentary import load_commentary
    from scorecard import store
    council = council or settings.default_council()
    result = load_commentary(store.engine(create=True), file, council, _indicator_ids(), settings.current_user())
    finish_load(result, file, council, "comment")


@commentary.command("list")
@click.option("--indicator", default=None, help="Only this indicator.")
@click.option("--period", default=None, help="Only this month, YYYY-MM.")
@council_option
def list_command(indicator: str | None, period: str | None, council: str | None) -> None:
    """Print the stored commentary, newest month first; every version, the latest first."""
    from scorecard import store
    from scorecard.metrics.commentary import commentary_for

    _check_period(period)
    council = council or settings.default_council()
    rows = commentary_for(store.engine(), council, indicator=indicator, period=period)
    if not rows:
        click.echo(f"No commentary stored for {council}" + (f" {indicator}" if indicator else "")
                   + (f" {period}" if period else "") + ".")
        return
    for row in rows:
        source = row["source_file"] or "added by hand"
        click.echo(f"{row['period']}  {row['indicator']}  #{row['id']}  {row['author']}, "
                   f"{row['written_at']:%d/%m/%Y %H:%M}  ({source})")
        click.echo(textwrap.fill(row["text"], width=100, initial_indent="    ", subsequent_indent="    "))
