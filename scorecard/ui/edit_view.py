"""The edit page as plain data, and what each of its forms does: tested without Dash.

`/edit/<indicator>?period=YYYY-MM` has three sections: the month's commentary, the
indicator's improvement actions and its target. Each shows its history (who, when, what
it was before and after) to anyone who may view, and its form only to those who may make
that edit; every save checks again on the server (scorecard.editing), whatever the page
showed. A save answers in words: what was stored, or every reason it was not.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from scorecard import editing
from scorecard.access import Identity, Permission, refusal
from scorecard.codes import code_list
from scorecard.metrics import council_metrics, format_value, metrics_for
from scorecard.metrics.actions import actions_for
from scorecard.metrics.catalogue import Indicator, period_is_valid
from scorecard.metrics.targets import entry_unit, rating_note
from scorecard.ui.text import date_label, month_label

NEW_ACTION = "__new__"
KEEP_STATUS = "__keep__"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
FIELD_NAMES = {"text": "Commentary", "action": "Action", "owner": "Owner", "due": "Due", "status": "Status",
               "update_text": "Update", "updated_on": "Update dated", "target": "Target"}


@dataclass(frozen=True)
class HistoryLine:
    """One version as the page lists it: 'Jo Bloggs, 12 April 2025 10:30: Action A12'
    and each field that changed, before and after."""
    who: str
    when: str
    what: str
    changes: tuple[tuple[str, str, str], ...]    # (field, before, after), as text
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class EditPage:
    indicator_id: str
    label: str
    unit: str
    period: str
    period_label: str
    periods: tuple[str, ...]                 # months to write commentary for, newest first
    notice: str
    can_comment: bool
    can_act: bool
    can_target: bool
    comment_refusal: str                     # why the form is not shown ("" when it is)
    action_refusal: str
    target_refusal: str
    current_comment: str                     # the month's latest commentary, to start from
    comment_history: tuple[HistoryLine, ...]
    actions: tuple[tuple[str, str], ...]     # (reference, how the choice reads)
    statuses: tuple[tuple[str, str], ...]    # (code, label)
    action_history: tuple[HistoryLine, ...]
    target_text: str                         # the target applying in the month, and from where
    target_unit: str                         # what the form's numbers are in
    target_note: str                         # whether a target sets the rating
    catalogue_targets: str                   # metrics.yaml's, for reference
    target_history: tuple[HistoryLine, ...]
    settable: bool                           # False for a context figure: no target at all


@dataclass(frozen=True)
class Outcome:
    """What a save did, in words: `saved` False with every problem when nothing was stored."""
    saved: bool
    message: str
    problems: tuple[str, ...] = ()


def edit_href(indicator_id: str, period: str | None = None) -> str:
    """The edit page's address: the indicator page links here ('Edit commentary, actions and target')."""
    query = f"?{urlencode({'period': period})}" if period else ""
    return f"/edit/{quote(indicator_id)}{query}"


def _metrics(who: Identity, engine=None):
    council = editing.council_of(who)
    return council_metrics(engine, council) if engine is not None else metrics_for(council)


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{date_label(value)} {value:%H:%M}"
    return date_label(value)


def _shown(name: str, value, unit: str) -> str:
    if value is None or value == "":
        return "(none)"
    if name == "status":
        code = code_list("action_status").codes.get(value)
        return code.label if code else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return date_label(value)
    return str(value)


def _lines(changes: list[editing.Change], unit: str) -> tuple[HistoryLine, ...]:
    return tuple(HistoryLine(
        who=change.who, when=_when(change.when), what=change.what,
        changes=tuple((FIELD_NAMES.get(name, name), _shown(name, before, unit) if before is not None else "",
                       _shown(name, after, unit)) for name, before, after in change.fields
                      if before is not None or after is not None),
        source=change.source, note=change.note) for change in changes)


def _threshold_text(unit: str):
    return lambda value: format_value(unit, value)


def _target_words(target, unit: str) -> str:
    if target is None:
        return "no target"
    shown = _threshold_text(unit)
    return f"green {shown(target.green)}, amber {shown(target.amber)} from {month_label(target.applies_from)}"


def _choose_period(asked: str | None, periods: list[str]) -> tuple[str, str]:
    """The month the commentary form writes for, and what to say if it is not the one asked."""
    latest = periods[-1] if periods else (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    if asked and period_is_valid(asked):
        return asked, ""
    if asked:
        return latest, f"‘{asked}’ is not a month (write it YYYY-MM, e.g. 2025-03): showing {month_label(latest)}."
    return latest, ""


def comment_lines(who: Identity, indicator_id: str, period: str, engine=None) -> tuple[HistoryLine, ...]:
    chosen = editing.indicator(indicator_id)
    return _lines(editing.commentary_history(editing.council_of(who), chosen.id, period, engine), chosen.unit.value)


def action_lines(who: Identity, indicator_id: str, engine=None) -> tuple[HistoryLine, ...]:
    chosen = editing.indicator(indicator_id)
    return _lines(editing.action_history(editing.council_of(who), chosen.id, engine), chosen.unit.value)


def target_lines(who: Identity, indicator_id: str, engine=None) -> tuple[HistoryLine, ...]:
    chosen = editing.indicator(indicator_id)
    unit = chosen.unit.value
    return _lines(editing.target_changes(editing.council_of(who), chosen, _threshold_text(unit), engine), unit)


def target_now(who: Identity, indicator_id: str, period: str, engine=None) -> str:
    """'For March 2025: green 90.0%, amber 85.0% (from April 2019) (metrics.yaml).'"""
    chosen = editing.indicator(indicator_id)
    applying = editing.targets_of(editing.council_of(who), engine).applying(chosen, period)
    source = f", {applying.source}" if applying.source else ""
    return f"For {month_label(period)}: {_target_words(applying.target, chosen.unit.value)}{source}."


def build_edit_page(who: Identity, indicator_id: str, period: str | None = None, engine=None) -> EditPage:
    """The page for one indicator and month. UnknownIndicator for an id not in metrics.yaml."""
    chosen = editing.indicator(indicator_id)
    council = editing.council_of(who)
    metrics = _metrics(who, engine)
    engine = metrics.engine
    known = metrics.periods()
    period, notice = _choose_period(period, known)
    unit = chosen.unit.value
    can = {p: editing.may(who, p, chosen.id) for p in (Permission.COMMENTARY, Permission.ACTIONS, Permission.TARGETS)}
    comments = comment_lines(who, chosen.id, period, engine)
    choices = tuple((a.reference, f"{a.reference}: {_shorten(a.action)} ({a.status_label}, due {date_label(a.due)})")
                    for a in actions_for(engine, council, chosen.id))
    return EditPage(
        indicator_id=chosen.id, label=chosen.label, unit=unit, period=period, period_label=month_label(period),
        periods=tuple(sorted(set(known) | {period}, reverse=True)), notice=notice,
        can_comment=can[Permission.COMMENTARY], can_act=can[Permission.ACTIONS], can_target=can[Permission.TARGETS],
        comment_refusal="" if can[Permission.COMMENTARY] else refusal(Permission.COMMENTARY, who),
        action_refusal="" if can[Permission.ACTIONS] else refusal(Permission.ACTIONS, who),
        target_refusal="" if can[Permission.TARGETS] else refusal(Permission.TARGETS, who),
        current_comment=editing.latest_commentary_text(council, chosen.id, period, engine),
        comment_history=comments, actions=choices,
        statuses=tuple((code, item.label) for code, item in code_list("action_status").codes.items()),
        action_history=action_lines(who, chosen.id, engine),
        target_text=target_now(who, chosen.id, period, engine),
        target_unit=entry_unit(chosen), target_note=rating_note(chosen),
        catalogue_targets="; ".join(_target_words(t, unit) for t in chosen.targets) or "none",
        target_history=target_lines(who, chosen.id, engine),
        settable=chosen.polarity.value != "context")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


# --- the forms -----------------------------------------------------------------------------

def _refused(problems) -> Outcome:
    problems = tuple(problems)
    count = len(problems)
    return Outcome(False, f"Not saved: {count} problem{'s' if count != 1 else ''}, nothing was changed.", problems)


def submit_commentary(who: Identity | None, indicator_id: str, period: str, text: str | None,
                      engine=None) -> Outcome:
    """Save the month's commentary as `who`. Forbidden when they may not (nothing stored)."""
    chosen = editing.indicator(indicator_id)
    try:
        added = editing.save_commentary(who, chosen.id, period or "", text or "", engine)
    except editing.INVALID as error:
        return _refused(error.problems)
    row = added.row
    if not added.new:
        return Outcome(False, f"Not saved again: the latest commentary on {chosen.label} for "
                              f"{month_label(row['period'])} already says this.")
    return Outcome(True, f"Saved the commentary on {chosen.label} for {month_label(row['period'])}, by "
                         f"{row['author']} at {_when(row['written_at'])}. The scorecard, this indicator's page, "
                         "the briefing and the packs show it now; earlier versions are kept below.")


def _day(text: str | None, label: str, problems: list[str]) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems.append(f"the {label} '{text}' is not a date: write it as 2025-04-30 or 30/04/2025")
    return None


def submit_action(who: Identity | None, indicator_id: str, reference: str | None, new_reference: str | None,
                  action: str | None, owner: str | None, due: str | None, status: str | None,
                  update: str | None, engine=None) -> Outcome:
    """Add an action (reference NEW_ACTION, with `new_reference`) or an update of one: fields
    left empty keep the action's latest values. Forbidden when `who` may not."""
    chosen = editing.indicator(indicator_id)
    who = editing.require_edit(who, Permission.ACTIONS, chosen)  # before anything is read for them
    problems: list[str] = []
    creating = reference in (None, "", NEW_ACTION)
    reference = ((new_reference if creating else reference) or "").strip()
    if creating and not reference:
        problems.append("give the new action a reference (the committee's, e.g. A12)")
    elif creating and reference in editing.action_references(editing.council_of(who), chosen.id, engine):
        problems.append(f"there is already an action {reference} on {chosen.label}: choose it to update it")
    due_day = _day(due, "due date", problems)
    version = {"reference": reference, "action": action or None, "owner": owner or None, "due": due_day,
               "status": None if status in (None, "", KEEP_STATUS) else status, "update_text": update or None,
               "updated_on": None}
    try:
        if problems:
            return _refused(problems)
        row, new = editing.save_action(who, chosen.id, version, engine)
    except editing.INVALID as error:
        return _refused(problems + error.problems)
    if not new:
        return Outcome(False, f"Not saved again: action {row['reference']} already says this.")
    verb = "Added action" if creating else "Saved an update of action"
    status_label = code_list("action_status").codes[row["status"]].label
    return Outcome(True, f"{verb} {row['reference']} on {chosen.label}: {status_label}, due {date_label(row['due'])}, "
                         f"owner {row['owner']}. Its earlier versions are kept in its history.")


def _number(text: str | None, label: str, problems: list[str]) -> float | None:
    text = (text or "").strip().removesuffix("%").replace(",", "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(f"{label} '{text}' is not a number")
        return None


def submit_target(who: Identity | None, indicator_id: str, applies_from: str | None, green: str | None,
                  amber: str | None, no_target: bool, reason: str | None, engine=None) -> Outcome:
    """Set the target from a month on, in the unit the form says (90 for 90%); `no_target`
    for none from then. Forbidden when `who` may not."""
    chosen: Indicator = editing.indicator(indicator_id)
    who = editing.require_edit(who, Permission.TARGETS, chosen)
    problems: list[str] = []
    green_value, amber_value = _number(green, "green", problems), _number(amber, "amber", problems)
    if no_target and (green_value is not None or amber_value is not None):
        problems.append("‘No target’ is ticked and green or amber is given: choose one")
    if not no_target and green_value is None and amber_value is None and not problems:
        problems.append("give green and amber, or tick ‘No target from this month’")
    try:
        if problems:
            return _refused(problems)
        version, new = editing.save_target(who, chosen.id, applies_from or "", green_value, amber_value,
                                           reason or "", engine)
    except editing.INVALID as error:
        return _refused(error.problems)
    words = _target_words(version.target, chosen.unit.value) if version.target else "no target"
    if not new:
        return Outcome(False, f"Not saved again: the target from {month_label(version.applies_from)} is already "
                              f"{words}.")
    return Outcome(True, f"Set the target for {chosen.label} from {month_label(version.applies_from)}: {words}. "
                         "Ratings, the scorecard, the charts and the packs use it from that month on.")
