"""`scorecard actions add|load|list` and `scorecard meetings add|load|list`: the committee's
improvement actions and its meeting calendar."""
from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_commentary import _indicator_ids, finish_load
from scorecard.cli_options import council_option

DATE = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.group()
def actions() -> None:
    """Improvement actions the committee agreed for indicators of concern."""


@actions.command("add")
@click.option("--reference", required=True, help="The committee's reference, e.g. A12. An existing reference is "
              "updated: options not given keep their latest values.")
@click.option("--indicator", default=None, help="The indicator's id in metrics.yaml (needed for a new action).")
@click.option("--action", "action_text", default=None, help="What was agreed.")
@click.option("--owner", default=None, help="Who is responsible.")
@click.option("--due", type=DATE, default=None, help="When it is due (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--status", default=None, help="Not started, in progress, delayed, complete or dropped.")
@click.option("--update", "update_text", default=None, help="The update given.")
@click.option("--on", "updated_on", type=DATE, default=None, help="The day of the update (default: today).")
@council_option
def add_command(reference, indicator, action_text, owner, due, status, update_text, updated_on, council) -> None:
    """Add an action, or a dated update of one; every version is kept."""
    from ingest.actions import ActionError, add_action
    from scorecard import store

    version = {"reference": reference, "indicator": indicator, "action": action_text, "owner": owner,
               "due": _day(due), "status": status, "update_text": update_text, "updated_on": _day(updated_on)}
    if status is None:
        version["status"] = None
    try:
        row, new = add_action(store.engine(create=True), council, version, _indicator_ids(), settings.current_user())
    except ActionError as error:
        click.echo(f"Not added: {error}", err=True)
        sys.exit(1)
    verb = "Stored" if new else "Not stored again (the latest version already says this):"
    click.echo(f"{verb} action {row['reference']} on {row['indicator']} for {council}: {row['status']}, "
               f"due {row['due']:%d/%m/%Y}, owner {row['owner']}")


@actions.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@council_option
def load_command(file: Path, council: str) -> None:
    """Load the action log from a .csv or .xlsx file: all of it, or nothing.

    Columns: reference, indicator, action, owner, due, status, and optionally update and
    updated_on (default: today). One row per action, or one per update of it.
    """
    from ingest.actions import load_actions
    from scorecard import store

    result = load_actions(store.engine(create=True), file, council, _indicator_ids(), settings.current_user())
    finish_load(result, file, council, "action version")


@actions.command("list")
@click.option("--indicator", default=None, help="Only this indicator.")
@council_option
def list_command(indicator: str | None, council: str) -> None:
    """Print each action as it stands, open ones first, with its updates."""
    from scorecard import store
    from scorecard.metrics.actions import actions_for

    found = actions_for(store.engine(), council, indicator)
    if not found:
        click.echo(f"No improvement actions stored for {council}" + (f" {indicator}" if indicator else "") + ".")
        return
    for action in found:
        overdue = "  OVERDUE" if action.overdue else ""
        click.echo(f"{action.reference}  {action.indicator}  {action.status_label}, due {action.due:%d/%m/%Y}, "
                   f"owner {action.owner}{overdue}")
        click.echo(textwrap.fill(action.action, width=100, initial_indent="    ", subsequent_indent="    "))
        for update in action.history:
            if update.text:
                click.echo(textwrap.fill(f"{update.on:%d/%m/%Y}: {update.text}", width=100,
                                         initial_indent="      ", subsequent_indent="        "))


@click.group()
def meetings() -> None:
    """The committee's meeting dates, and the month each meeting's scorecard showed."""


@meetings.command("add")
@click.argument("meeting_date", type=DATE)
@click.option("--committee", default=None, help="Which committee (default: Corporate parenting committee).")
@click.option("--shows", "shows_period", default=None,
              help="The month its scorecard showed, YYYY-MM (default: the month before the meeting's).")
@click.option("--cancelled", is_flag=True, help="The meeting did not take place.")
@council_option
def add_meeting_command(meeting_date, committee, shows_period, cancelled, council) -> None:
    """Add a meeting (or change one: a new version for the same date and committee)."""
    from ingest.meetings import MeetingError, add_meeting
    from scorecard import store

    try:
        row, new = add_meeting(store.engine(create=True), council, meeting_date.date(), committee, shows_period,
                               cancelled, settings.current_user())
    except MeetingError as error:
        click.echo(f"Not added: {error}", err=True)
        sys.exit(1)
    verb = "Added" if new else "Already stored:"
    state = "cancelled" if row["cancelled"] else f"showing {row['shows_period']}"
    click.echo(f"{verb} {row['committee']} on {row['meeting_date']:%d/%m/%Y}, {state}, for {council}")


@meetings.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@council_option
def load_meetings_command(file: Path, council: str) -> None:
    """Load the meeting calendar from a .csv or .xlsx file: all of it, or nothing.

    Columns: meeting_date, and optionally committee, shows_period (YYYY-MM) and cancelled.
    """
    from ingest.meetings import load_meetings
    from scorecard import store

    result = load_meetings(store.engine(create=True), file, council, settings.current_user())
    finish_load(result, file, council, "meeting")


@meetings.command("list")
@council_option
def list_meetings_command(council: str) -> None:
    """Print the meetings, oldest first, with the month each one's scorecard showed."""
    from scorecard import store
    from scorecard.metrics.meetings import meetings as calendar

    found = calendar(store.engine(), council)
    if not found:
        click.echo(f"No meetings stored for {council}: scorecards compare with the month before.")
    for meeting in found:
        click.echo(f"{meeting.date:%d/%m/%Y}  {meeting.committee}: scorecard for {meeting.shows_period}")
