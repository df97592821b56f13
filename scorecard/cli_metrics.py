"""`scorecard metrics check|docs|refresh|check-disclosure`, `scorecard benchmarks import|releases` and `scorecard report`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_options import council_option


def _catalogue():
    from scorecard.metrics.catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue()
    except CatalogueError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(error.problems)} problem(s) in metrics.yaml", err=True)
        sys.exit(1)


@click.group()
def metrics() -> None:
    """Check the indicator catalogue (metrics.yaml) and write its documentation."""


@metrics.command()
def check() -> None:
    """Validate metrics.yaml: every problem, with its line."""
    catalogue = _catalogue()
    click.echo(f"metrics.yaml: {len(catalogue.indicators)} indicators, no problems")


@metrics.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Default: docs/metrics.md")
def docs(out: Path | None) -> None:
    """Write the indicator catalogue for people (docs/metrics.md)."""
    from scorecard.metrics.docs import DOCS_PATH, catalogue_markdown

    out = out or DOCS_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(catalogue_markdown(_catalogue()), encoding="utf-8")
    click.echo(f"Wrote {out}")


@metrics.command("refresh")
@click.option("--council", "councils", multiple=True, help="Only this council (repeatable); default: every council "
              "with data in the store.")
def refresh_command(councils: tuple[str, ...]) -> None:
    """Compute and keep the councils' figures and disclosure decisions now (`scorecard
    ingest` and the browser's upload do it for the council they load): after upgrading
    to a release whose figures are computed differently, so that no viewer waits."""
    from scorecard import store
    from scorecard.councils import UnknownCouncil, code_for
    from scorecard.metrics.figure_sets import describe, refresh

    engine, catalogue = store.engine(), _catalogue()
    try:
        codes = [code_for(c) for c in councils]
    except UnknownCouncil as error:
        raise click.BadParameter(str(error), param_hint="--council") from None
    if not codes:
        with store.read_connection(engine) as conn:
            codes = store.councils_with_data(conn)
    if not codes:
        click.echo("No council has data in the store: nothing to compute.")
    for code in codes:
        click.echo(f"{code}: {describe(refresh(engine, code, catalogue))}")


@metrics.command("check-disclosure")
@council_option
@click.option("--period", "periods", multiple=True, help="Only these months, YYYY-MM (repeatable); default: every "
              "month with figures.")
def check_disclosure_command(council: str, periods: tuple[str, ...]) -> None:
    """Read the council's public outputs as a reader would (every indicator, month and
    breakdown: the scorecard, the breakdowns, the trends and `report --public`; for the
    last month checked, the indicator pages' drill-downs month by month, over rolling 12
    months and as two-way tables) and work out every hidden count that can be worked out.
    Exits 1 if any can."""
    from scorecard import store
    from scorecard.metrics.cache import council_metrics
    from scorecard.metrics.disclosure_check import check_disclosure

    figures = council_metrics(store.engine(), council, _catalogue())
    chosen = sorted(periods) or figures.periods()
    if not chosen:
        click.echo(f"No figures for {council}: load some extracts first (scorecard ingest).", err=True)
        sys.exit(1)
    leaks = check_disclosure(figures, chosen)
    decisions = figures.suppressions(chosen).values()
    primary, secondary = sum(d.count("primary") for d in decisions), sum(d.count("secondary") for d in decisions)
    for leak in leaks:
        click.echo(leak.text())
    summary = (f"{council}, {len(chosen)} months ({chosen[0]} to {chosen[-1]}): {primary + secondary} figures hidden "
               f"({primary} small numbers, {secondary} beside them so that those cannot be worked out)")
    if leaks:
        click.echo(f"{summary}; {len(leaks)} hidden counts can be worked out from what is shown.", err=True)
        sys.exit(1)
    click.echo(f"{summary}; no hidden count can be worked out from what is shown.")


@click.group()
def benchmarks() -> None:
    """Published England, regional and statistical-neighbour figures."""


@benchmarks.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_benchmarks_command(paths: tuple[Path, ...]) -> None:
    """Import the DfE's published figures: EES tidy CSV files and LAIT's long file (or
    folders of them, such as data/reference/dfe). Every release is kept; a file already
    imported adds nothing; what no measure reads is listed."""
    from ingest.published import NotAPublishedFile, import_published, published_files
    from scorecard import store

    engine, failed = store.engine(create=True), 0
    for path in published_files(list(paths)):
        try:
            result = import_published(engine, path, settings.current_user())
        except NotAPublishedFile as error:
            click.echo(f"{path.name}: not imported: {error}")
            continue
        except OSError as error:
            click.echo(f"{path.name}: could not be read: {error}", err=True)
            failed += 1
            continue
        if result.added_to:
            per = ", ".join(f"{name} {count}" for name, count in sorted(result.figures.items()))
            click.echo(f"{path.name}: already imported as release {result.added_to}; read again for the measures "
                       f"defined since: {per}")
            continue
        if result.already:
            click.echo(f"{path.name}: already imported (release {result.already['id']}, "
                       f"{result.already['loaded_at']:%d %B %Y}): nothing added")
            continue
        if result.release_id is None:
            click.echo(f"{path.name}: nothing imported")
        else:
            per = ", ".join(f"{name} {count}" for name, count in sorted(result.figures.items()))
            click.echo(f"{path.name}: release {result.release_id} (latest year {result.latest_year}), "
                       f"{sum(result.figures.values())} figures: {per}")
        for line in result.not_mapped:
            click.echo(f"  {line}")
    if failed:
        sys.exit(1)


@benchmarks.command("releases")
def list_releases() -> None:
    """Every release imported, oldest first."""
    from scorecard import store

    with store.read_connection(store.engine()) as conn:
        rows = store.published_releases_list(conn)
    if not rows:
        click.echo("No published figures imported yet: scorecard benchmarks import data/reference/dfe")
    for row in rows:
        click.echo(f"{row['id']:>4}  {row['source_file']}  {row['layout']}, latest year {row['latest_year']}, "
                   f"{row['figure_count']} figures, imported {row['loaded_at']:%d %B %Y} by {row['loaded_by']}")


@click.command()
@click.option("--period", default=None, help="The month, YYYY-MM (default: the latest with data).")
@click.option("--format", "output", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@council_option
@click.option("--framework", default=None, help="Theme framework (default: metrics.yaml's default_framework).")
@click.option("--breakdowns", is_flag=True, help="Add every indicator's breakdowns for the month.")
@click.option("--public", is_flag=True, help="Hide small counts that could identify a child, and the figures beside them "
              "that would let them be worked out.")
def report(period, output, council, framework, breakdowns, public) -> None:
    """Print every indicator's value, RAG, direction and comparators for a month."""
    from scorecard import store
    from scorecard.metrics.cache import council_metrics
    from scorecard.metrics.report import report_table

    council = council or settings.default_council()
    figures = council_metrics(store.engine(), council, _catalogue())
    period = period or figures.latest_period()
    if period is None:
        click.echo(f"No figures for {council}: load some extracts first (scorecard ingest).", err=True)
        sys.exit(1)
    table = report_table(figures, period, framework, breakdowns, public)
    if output == "json":
        click.echo(json.dumps({"council": council, "period": period, "indicators": table.to_dict("records")},
                              indent=1, default=str))
    else:
        click.echo(table.to_csv(index=False), nl=False)


@click.command()
@council_option
@click.option("--period", "periods", multiple=True, help="Only these months, YYYY-MM (repeatable); default: every "
              "month both the monthly extracts and the returns cover.")
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def reconcile(council: str, periods: tuple[str, ...], output: str) -> None:
    """The monthly extracts' figures against the SSDA903 returns', side by side, month by month."""
    from scorecard import store
    from scorecard.metrics.reconcile import reconcile as reconcile_figures

    result = reconcile_figures(store.engine(), council, _catalogue(), list(periods) or None)
    if output == "csv":
        click.echo(result.table.to_csv(index=False), nl=False)
        return
    if output == "json":
        click.echo(json.dumps({"council": council, "months": result.months,
                               "figures": result.table.astype(object).where(result.table.notna(), None)
                               .to_dict("records")}, indent=2, default=str))
        return
    for line in reconcile_lines(result):
        click.echo(line)


def reconcile_lines(result) -> list[str]:
    """The reconciliation as a person reads it: what agrees, what differs and by how much,
    and what cannot be compared and why."""
    from scorecard.metrics import format_value

    if not result.months:
        return [f"Nothing to reconcile for {result.council}: no month is covered both by monthly children in care "
                "extracts and by an SSDA903 return."]
    table = result.table
    lines = [f"{result.council}: monthly extracts against SSDA903 returns, {len(result.months)} months both cover "
             f"({result.months[0]} to {result.months[-1]})."]
    for label, rows in table.groupby("label", sort=False):
        compared = rows[rows["agree"].notna()]
        differ = rows[rows["agree"].eq(False)]
        part = f" ({rows['compared_as'].iloc[0]})" if rows["compared_as"].iloc[0] != "all" else ""
        if compared.empty:
            lines.append(f"- {label}: not comparable: {rows['note'].iloc[0]}")
            continue
        lines.append(f"- {label}{part}: agree in {len(compared) - len(differ)} of {len(compared)} months")
        for row in differ.itertuples():
            lines.append(f"    {row.period}: monthly {format_value(row.unit, row.monthly_value)} "
                         f"({_counts(row.monthly_numerator, row.monthly_denominator)}), return "
                         f"{format_value(row.unit, row.return_value)} ({_counts(row.return_numerator, row.return_denominator)})"
                         + (f"; {row.note}" if row.note else ""))
    return lines


def _counts(numerator, denominator) -> str:
    return f"{numerator:,.0f}" if denominator is None else f"{numerator:,.0f} of {denominator:,.0f}"
