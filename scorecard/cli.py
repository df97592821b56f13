"""The `scorecard` command: load extracts and returns, write templates, list extracts, make the demo."""
from __future__ import annotations

import gc
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_options import council_option

MAX_PROBLEMS_SHOWN = 60


def _print_report(report, limit: int = MAX_PROBLEMS_SHOWN) -> None:
    shown = [p for p in report if p.severity.value != "info"][:limit]
    info = [p for p in report if p.severity.value == "info"]
    for problem in shown:
        click.echo(problem.line(), err=True)
    hidden = len(report) - len(info) - len(shown)
    if hidden > 0:
        click.echo(f"... and {hidden} more problems: use --report FILE.csv to save them all", err=True)
    for problem in info[:limit]:
        click.echo(problem.line(), err=True)


def _save_report(report, path: Path) -> None:
    path.write_text(report.to_json() if path.suffix.lower() == ".json" else report.to_csv(), encoding="utf-8")


class _Scorecard(click.Group):
    """Every command's refusals from the settings and the store reach the analyst as their
    sentence (exit status 1), never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:
            if not _refusal(error):
                raise
            raise click.ClickException(str(error)) from None


def _refusal(error: Exception) -> bool:
    # The store is imported only by the commands that use it, so only they can raise its
    # refusals: the others need not import it to be told apart.
    store_refusal = getattr(sys.modules.get("scorecard.store.refusals"), "StoreRefused", ())
    return isinstance(error, (settings.SettingError, store_refusal))


@click.group(cls=_Scorecard)
def main() -> None:
    """Corporate Parenting Scorecard."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--period", default=None, help="The month monthly extracts are as at, YYYY-MM (e.g. 2019-09).")
@click.option("--year", default=None, help="The collection year of an SSDA903 return, e.g. 2019-20 "
              "(1 April 2019 to 31 March 2020); --period with any month of it also gives it.")
@council_option
@click.option("--dataset", default=None, help="Treat every file as this dataset instead of recognising it.")
@click.option("--sheet", default=None, help="Read only this sheet of each workbook.")
@click.option("--dry-run", is_flag=True, help="Validate and report what would change, write nothing.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Save every problem found to this .csv or .json file.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--no-figures", "no_figures", is_flag=True, help="Leave the council's figures to be computed later "
              "(`scorecard metrics refresh`), e.g. when loading many months in a row; pages compute them when first "
              "viewed if nobody does.")
@click.option("--force", is_flag=True, help="Load monthly extracts as --period even where most of their dates "
              "point at another month (otherwise refused).")
def ingest(files, period, year, council, dataset, sheet, dry_run, report_path, quiet, no_figures, force) -> None:
    """Validate and load extracts: all of them, or none.

    FILES are .xlsx or .csv files: the scorecard templates, your system's own exports
    (map any column it words differently once with `scorecard mapping set`), or the
    SSDA903 return's CSV files.
    """
    from ingest.readers import ReadAhead

    # Start parsing the files now: it goes on while the rest of the program is imported. The
    # collector is paused from here, not only once parsing is done: the reader's rows of
    # cells are what it would rescan (a fifth of a 100,000-row workbook's parse).
    with _collector_paused():
        ahead = ReadAhead(files)
        status = ingest_files(files, period, year, council, dataset=dataset, sheet=sheet, dry_run=dry_run,
                              report_path=report_path, quiet=quiet, read=ahead.get, force=force,
                              compute_figures=not no_figures)
    if status:
        sys.exit(status)


def ingest_files(files, period: str | None, year: str | None, council: str, *, dataset: str | None = None,
                 sheet: str | None = None, dry_run: bool = False, report_path: Path | None = None,
                 quiet: bool = False, read=None, show_changes: bool = True, force: bool = False,
                 compute_figures: bool = True) -> int:
    """`scorecard ingest` as a function (the demo loads through it): 0 when loaded, 1 when not.
    `compute_figures` False leaves the council's figures to be computed later (the demo
    computes them once, after its last load)."""
    from scorecard.periods import CollectionYear, normal_month

    try:
        period = normal_month(period) if period else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    try:
        collection_year = CollectionYear.parse(year) if year else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from exc
    with _collector_paused():
        status = _ingest(files, period, collection_year, council, dataset, sheet, dry_run, report_path, quiet, read,
                         show_changes, force)
    if status == 0 and not dry_run and compute_figures:
        compute_council_figures(council, quiet)
    return status


def compute_council_figures(council: str, quiet: bool = False) -> None:
    """After a load: the council's figures and disclosure decisions computed once and kept
    in the store, so that no web worker computes them on its first request."""
    from scorecard import store
    from scorecard.metrics import load_catalogue
    from scorecard.metrics.figure_sets import describe, refresh

    done = refresh(store.engine(), council, load_catalogue())
    if not quiet:
        click.echo(f"Computed {council}'s figures: {describe(done)}.")


@contextmanager
def _collector_paused():
    """An upload allocates millions of small objects that all live until it is written;
    the cyclic garbage collector would rescan them again and again for nothing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _covered(upload) -> str:
    if upload.year is not None and any(t.source_format == "ssda903" for t in upload.tables):
        return f"the collection year {upload.year}"
    return upload.period or ""


def _ingest(files, period, year, council, dataset, sheet, dry_run, report_path, quiet, read, show_changes,
            force) -> int:
    from ingest import loading
    from ingest.readers import read_file
    from scorecard import store

    started = time.perf_counter()
    engine = store.engine(create=True)
    with click.progressbar(length=len(files), label="Checking", hidden=quiet, show_pos=True,
                           item_show_func=lambda p: p.name if p else "") as bar:
        checked = loading.check(files, period, year, council, engine=engine, dataset=dataset, sheet=sheet,
                                progress=lambda path: bar.update(1, path), read=read or read_file,
                                force_month=force)
    upload = checked.upload
    report = upload.report
    _print_report(report)
    if report_path:
        _save_report(report, report_path)
    counts = f"{len(upload.tables)} datasets, {upload.row_count:,} rows from {len(files)} files"
    if not upload.ok:
        count = len(report.errors)
        reason = f"{count} error{'s' if count != 1 else ''}" if count else "no dataset the scorecard uses was found"
        click.echo(f"Nothing loaded: {reason} ({counts}); the store is unchanged.", err=True)
        return 1
    for used in upload.mappings_used:
        click.echo(f"Read {used.dataset} with {council}'s saved mapping, version {used.version}: "
                   f"{'; '.join(used.describe())}")
    for changes in upload.changes.values() if show_changes else ():
        for line in changes.lines():
            click.echo(line)
    count = len(report.warnings)
    warnings = f"; {count} warning{'s' if count != 1 else ''}" if count else ""
    if dry_run:
        click.echo(f"Dry run: {counts} are valid for {council} {_covered(upload)}{warnings}; nothing written "
                   f"({time.perf_counter() - started:.1f} s).")
        return 0
    if not quiet:
        click.echo(f"Writing {upload.row_count:,} rows in one transaction...", err=True)
    ids = [w.extract_id for w in loading.load(engine, checked, settings.current_user(), {"source": "command line"})]
    click.echo(f"Loaded {counts} for {council} {_covered(upload)} as extracts {ids[0]}-{ids[-1]}{warnings} "
               f"({time.perf_counter() - started:.1f} s).")
    return 0


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
def templates(out_dir: Path) -> None:
    """Write a blank template workbook for each dataset into OUT_DIR."""
    from ingest.templates import write_templates

    for path in write_templates(out_dir):
        click.echo(path)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--council", default=None, help="Only this council's extracts.")
def extracts(as_json: bool, council: str | None) -> None:
    """List every extract loaded: what, which months, from which file (SHA-256), with which
    column mapping, when, by whom, and its status."""
    from scorecard import store

    with store.read_connection(store.engine()) as conn:
        rows = store.list_extracts(conn, council)
        versions = {m["id"]: m["version"] for m in store.mapping_versions(conn)}
    for row in rows:
        row["mapping_version"] = versions.get(row["mapping_id"])
    if as_json:
        for row in rows:
            row["changes"] = json.loads(row["changes"]) if row["changes"] else None
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    for row in rows:
        months = row["first_month"] if row["first_month"] == row["last_month"] else \
            f"{row['first_month']}..{row['last_month']}"
        mapping = f"  mapping v{row['mapping_version']}" if row["mapping_version"] else ""
        click.echo(f"{row['id']:>5} {row['council']} {months:<17} {row['dataset']:<20} {row['status']:<10} "
                   f"{row['row_count']:>7} rows  {row['source_file']}  {row['sha256'][:12]}{mapping}  "
                   f"{row['loaded_at']:%Y-%m-%d %H:%M} {row['loaded_by']}")


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=settings.DATA_DIR / "demo",
              show_default=True, help="Where to write the monthly extract files.")
@click.option("--months", default=36, show_default=True, help="How many months of extracts.")
@click.option("--last", "last_period", default="2025-03", show_default=True, help="The last month, YYYY-MM.")
@click.option("--seed", default=2019, show_default=True)
@click.option("--no-load", is_flag=True, help="Only write the files.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds the demo county.")
@click.option("--with-returns", is_flag=True, help="Also load the county's SSDA903 returns (written under "
              "OUT/903/), so that `scorecard reconcile` has both routes to compare.")
def demo(out_dir: Path, months: int, last_period: str, seed: int, no_load: bool, if_empty: bool,
         with_returns: bool) -> None:
    """Generate the fictional demo county (monthly extracts and SSDA903 returns) and load it
    month by month through `ingest`."""
    from ingest.demo import COUNCIL, generate_demo

    if if_empty:
        from scorecard import store

        with store.read_connection(store.engine(create=True)) as conn:
            if store.list_extracts(conn, COUNCIL):
                click.echo("The store already holds the demo county's extracts; not loading it again.")
                return
    written = generate_demo(out_dir, months=months, last_period=last_period, seed=seed)
    click.echo(f"Wrote {len(written.months)} months of extracts and {len(written.returns)} SSDA903 returns "
               f"({written.returns[0][0]} to {written.returns[-1][0]}) to {out_dir}" if written.returns else
               f"Wrote {len(written.months)} months of extracts to {out_dir}")
    if no_load:
        return
    loads = [(period, files, None) for period, files in written.months]
    if with_returns:
        loads += [(None, files, year) for year, files in written.returns]
    with click.progressbar(loads, label="Loading the demo county",
                           item_show_func=lambda load: (load[0] or load[2]) if load else "") as bar:
        for period, files, year in bar:
            if ingest_files(files, period, year, COUNCIL, quiet=True, show_changes=False, compute_figures=False):
                sys.exit(1)
    compute_council_figures(COUNCIL)

from scorecard.cli_actions import actions, meetings  # noqa: E402  (commands defined there)
from scorecard.cli_commentary import commentary  # noqa: E402  (commands defined there)
from scorecard.cli_mapping import mapping  # noqa: E402  (commands defined there)
from scorecard.cli_metrics import benchmarks, metrics, reconcile, report  # noqa: E402  (commands defined there)
from scorecard.cli_packs import briefing, pack  # noqa: E402  (commands defined there)
from scorecard.cli_targets import targets  # noqa: E402  (commands defined there)
from scorecard.cli_users import audit, users  # noqa: E402  (commands defined there)

main.add_command(metrics)
main.add_command(benchmarks)
main.add_command(report)
main.add_command(commentary)
main.add_command(actions)
main.add_command(targets)
main.add_command(meetings)
main.add_command(pack)
main.add_command(briefing)
main.add_command(mapping)
main.add_command(reconcile)
main.add_command(users)
main.add_command(audit)

if __name__ == "__main__":
    main()
