"""`scorecard targets set|list`: the council's own targets, over metrics.yaml's, from a month on.

The same function as the edit page (metrics.targets.set_target): the same checks, the same
audit event, every version kept."""
from __future__ import annotations

import sys

import click

from scorecard import settings
from scorecard.cli_options import council_option


def _indicator(indicator_id: str):
    from scorecard.metrics import load_catalogue

    try:
        return load_catalogue().by_id[indicator_id]
    except KeyError:
        raise click.BadParameter(f"'{indicator_id}' is not an indicator id in metrics.yaml (see docs/metrics.md)",
                                 param_hint="--indicator") from None


@click.group()
def targets() -> None:
    """The council's targets: green and amber thresholds from a month on, over metrics.yaml's."""


@targets.command("set")
@click.option("--indicator", "indicator_id", required=True, help="The indicator's id in metrics.yaml.")
@click.option("--from", "applies_from", required=True, help="The first month it applies to, YYYY-MM.")
@click.option("--green", type=float, default=None,
              help="Green at or beyond this, in the indicator's unit (a percentage as 90 for 90%).")
@click.option("--amber", type=float, default=None, help="Amber at or beyond this; red beyond it.")
@click.option("--none", "no_target", is_flag=True, help="No target from that month (give neither --green nor --amber).")
@click.option("--reason", required=True, help="Why: e.g. the committee's decision and its date.")
@council_option
def set_command(indicator_id, applies_from, green, amber, no_target, reason, council) -> None:
    """Set a target from a month on; earlier settings are kept as history."""
    from scorecard import store
    from scorecard.metrics.formatting import format_value
    from scorecard.metrics.targets import TargetError, set_target

    chosen = _indicator(indicator_id)
    if no_target and (green is not None or amber is not None):
        raise click.UsageError("--none means no target: give it without --green and --amber")
    if not no_target and green is None and amber is None:
        raise click.UsageError("give --green and --amber, or --none for no target from that month")
    try:
        version, new = set_target(store.engine(create=True), council, chosen, applies_from, green, amber, reason,
                                  settings.current_user())
    except TargetError as error:
        click.echo(f"Not set: {error}", err=True)
        sys.exit(1)
    what = "no target" if version.target is None else \
        f"green {format_value(chosen.unit, version.green)}, amber {format_value(chosen.unit, version.amber)}"
    verb = "Set" if new else "Already set:"
    click.echo(f"{verb} {chosen.id} for {council} from {version.applies_from}: {what}")


@targets.command("list")
@click.option("--indicator", "indicator_id", default=None, help="Only this indicator.")
@council_option
def list_command(indicator_id, council) -> None:
    """Print the targets the council set, each with what applied before it, the latest first."""
    from scorecard.editing import target_changes
    from scorecard.metrics import load_catalogue
    from scorecard.metrics.formatting import format_value

    chosen = [_indicator(indicator_id)] if indicator_id else list(load_catalogue().indicators)
    found = False
    for indicator in chosen:
        for change in target_changes(council, indicator, lambda v, unit=indicator.unit: format_value(unit, v)):
            found = True
            [(_field, before, after)] = change.fields
            click.echo(f"{indicator.id}  {change.what}: {after} (was {before})")
            click.echo(f"    set by {change.who} on {change.when:%d/%m/%Y %H:%M}: {change.note}")
    if not found:
        click.echo(f"No targets set for {council}" + (f" {indicator_id}" if indicator_id else "")
                   + ": metrics.yaml's apply.")
