"""Editing commentary, improvement actions and targets as a signed-in user: who may, the
same validation as the command line, and the history of each (who, when, before, after).

The edit page (scorecard.ui.edit_view) calls these; each checks the permission itself,
whatever the page showed or hid:

- commentary needs Permission.COMMENTARY and actions Permission.ACTIONS for one of the
  indicator's themes (a manager limited to some themes writes only for theirs);
- targets need Permission.TARGETS.

Writes go through the command line's own functions (ingest.commentary.add_commentary,
ingest.actions.add_action, metrics.targets.set_target), which validate and record the
audit event in the write's own transaction. Nothing is written when a check refuses.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from ingest.actions import STORED as ACTION_FIELDS
from ingest.actions import add_action
from ingest.commentary import MAX_LENGTH, Added, CommentaryError, add_commentary
from scorecard import store
from scorecard.access import Identity, Permission, council_for
from scorecard.metrics import Indicator, load_catalogue
from scorecard.metrics.targets import (
    CouncilTargets,
    TargetError,
    TargetVersion,
    council_targets,
    set_target,
    target_history,
)

COMMENTARY_LIMIT = MAX_LENGTH
"""Characters a comment may have (the edit page's box stops there)."""
INVALID = (CommentaryError, TargetError)
"""What a save raises when its input is not valid: `.problems`, every reason in words
(ingest.actions.ActionError is CommentaryError)."""


class UnknownIndicator(LookupError):
    """No indicator of that id in metrics.yaml."""


@dataclass(frozen=True)
class Change:
    """One version in an item's history: who stored it and when, and each field that
    changed from the version before (field, before, after; before None for the first)."""
    who: str
    when: dt.datetime | dt.date | None
    what: str                     # 'commentary', 'action A12', 'target from 2025-04'
    fields: tuple[tuple[str, object, object], ...]
    source: str = ""              # a file's name when it was loaded from one
    note: str = ""                # the reason given, for a target


def indicator(indicator_id: str) -> Indicator:
    try:
        return load_catalogue().by_id[indicator_id]
    except KeyError:
        raise UnknownIndicator(f"there is no indicator called '{indicator_id}' in metrics.yaml") from None


def indicator_themes(chosen: Indicator) -> set[str]:
    """Every theme the indicator sits under, in any framework: what theme limits check."""
    return {theme for themes in chosen.themes.values() for theme in themes}


def council_of(who: Identity) -> str:
    return council_for(who)


def may(who: Identity | None, permission: Permission, indicator_id: str) -> bool:
    """Whether `who` may make this kind of edit to the indicator (what the page shows)."""
    if who is None:
        return False
    themes = indicator_themes(indicator(indicator_id)) if permission in (Permission.COMMENTARY, Permission.ACTIONS) \
        else None
    return who.can(permission, themes=themes)


def require_edit(who: Identity | None, permission: Permission, chosen: Indicator) -> Identity:
    """`who` if they may make this kind of edit to the indicator, else Forbidden."""
    from scorecard.access import require

    themes = indicator_themes(chosen) if permission in (Permission.COMMENTARY, Permission.ACTIONS) else None
    return require(who, permission, themes=themes)


def _known() -> set[str]:
    return set(load_catalogue().by_id)


# --- writing -------------------------------------------------------------------------------

def save_commentary(who: Identity | None, indicator_id: str, period: str, text: str,
                    engine: Engine | None = None) -> Added:
    """Add a version of the month's commentary, written by `who` (their name as author).
    Forbidden if they may not; CommentaryError with every problem if it is not valid."""
    chosen = indicator(indicator_id)
    who = require_edit(who, Permission.COMMENTARY, chosen)
    return add_commentary(engine or store.engine(), council_of(who), chosen.id, period, text, who.name,
                          known_indicators=_known(), loaded_by=who.username)


def save_action(who: Identity | None, indicator_id: str, version: dict,
                engine: Engine | None = None) -> tuple[dict, bool]:
    """Add an action to the indicator, or a dated update of one of its actions (fields
    left None keep their latest values). Forbidden, or ActionError with every problem."""
    chosen = indicator(indicator_id)
    who = require_edit(who, Permission.ACTIONS, chosen)
    return add_action(engine or store.engine(), council_of(who), {**version, "indicator": chosen.id}, _known(),
                      who.name)


def save_target(who: Identity | None, indicator_id: str, applies_from: str, green: float | None,
                amber: float | None, reason: str, engine: Engine | None = None) -> tuple[TargetVersion, bool]:
    """Set the indicator's target from a month on (values as entered: 90 for 90%; both None:
    no target from then). Forbidden, or TargetError with every problem."""
    chosen = indicator(indicator_id)
    who = require_edit(who, Permission.TARGETS, chosen)
    return set_target(engine or store.engine(), council_of(who), chosen, applies_from, green, amber, reason,
                      who.name)


def targets_of(council: str, engine: Engine | None = None) -> CouncilTargets:
    """The council's targets over metrics.yaml's, read now (cheaper than the council's figures)."""
    return council_targets(engine or store.engine(), council)


def latest_commentary_text(council: str, indicator_id: str, period: str, engine: Engine | None = None) -> str:
    """The month's latest commentary on the indicator, as stored (the form starts from it)."""
    with store.read_connection(engine or store.engine()) as conn:
        rows = store.commentary_rows(conn, council, indicator_id, period)
    return rows[0]["text"] if rows else ""


def action_references(council: str, indicator_id: str, engine: Engine | None = None) -> set[str]:
    with store.read_connection(engine or store.engine()) as conn:
        return {row["reference"] for row in store.action_rows(conn, council, indicator_id)}


# --- history -------------------------------------------------------------------------------

def _changes(versions: list[dict], names: tuple[str, ...]) -> list[tuple[dict, tuple]]:
    """Each version (oldest first) with the fields that differ from the one before it."""
    found, before = [], None
    for version in versions:
        fields = tuple((name, before.get(name) if before else None, version.get(name)) for name in names
                       if before is None or before.get(name) != version.get(name))
        found.append((version, fields))
        before = version
    return found


def commentary_history(council: str, indicator_id: str, period: str, engine: Engine | None = None) -> list[Change]:
    """Every version of one month's commentary on the indicator, the latest first."""
    with store.read_connection(engine or store.engine()) as conn:
        rows = store.commentary_rows(conn, council, indicator_id, period)
    ordered = sorted(rows, key=lambda r: (r["written_at"], r["id"]))
    return [Change(who=row["author"], when=row["written_at"], what="commentary", fields=fields,
                   source=row["source_file"] or "")
            for row, fields in _changes(ordered, ("text",))][::-1]


def action_history(council: str, indicator_id: str, engine: Engine | None = None) -> list[Change]:
    """Every version of every action on the indicator, the latest stored first."""
    with store.read_connection(engine or store.engine()) as conn:
        rows = store.action_rows(conn, council, indicator_id)
    by_reference: dict[str, list[dict]] = {}
    for row in rows:
        by_reference.setdefault(row["reference"], []).append(row)
    changes = []
    shown = tuple(name for name in ACTION_FIELDS if name not in ("reference", "indicator"))
    for reference, versions in by_reference.items():
        for row, fields in _changes(versions, shown):
            changes.append((row["loaded_at"], row["id"], Change(
                who=row["loaded_by"], when=row["loaded_at"], what=f"action {reference}", fields=fields,
                source=row["source_file"] or "")))
    # One store gives all times alike (naive on SQLite, aware on PostgreSQL): they sort.
    return [change for *_order, change in sorted(changes, key=lambda item: item[:2], reverse=True)]


def target_changes(council: str, chosen: Indicator, shown: Callable[[float | None], str],
                   engine: Engine | None = None) -> list[Change]:
    """Every target the council set for the indicator, the latest first, each with what
    applied from its month before (metrics.yaml's or an earlier setting); `shown` writes
    a threshold as people read it."""
    def words(target) -> str:
        return "no target" if target is None else f"green {shown(target.green)}, amber {shown(target.amber)}"

    changes = []
    for change in target_history(engine or store.engine(), council, chosen):
        before = words(change.before.target) + (f" ({change.before.source})" if change.before.source else "")
        changes.append(Change(who=change.version.set_by, when=change.version.set_at,
                              what=f"target from {change.version.applies_from}",
                              fields=(("target", before, words(change.version.target)),),
                              note=change.version.reason))
    return changes
