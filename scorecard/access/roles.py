"""Who may do what: the four roles, their permissions, and the identity of whoever is asking.

Roles are cumulative (a manager can do all a viewer can, an analyst all a manager can,
an admin everything): an analyst loads the child-level files, so seeing the small
numbers behind them gives away nothing new, and the lead analyst is usually the one who
runs the users. A user may be limited to some themes: commentary and improvement actions
then only for indicators of those themes.

Every check is made on the server, in the plain function or route that does the work
(`Identity.require`), never by hiding a button: a refused call raises `Forbidden`.
"""
from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"                        # the scorecard, indicator pages, briefing, glossary, packs (suppressed)
    SMALL_NUMBERS = "small_numbers"      # figures and breakdowns below the suppression threshold
    RECORDS = "records"                  # the pseudonymised list of records behind a figure
    COMMENTARY = "commentary"            # write commentary (for the user's themes)
    ACTIONS = "actions"                  # add and update improvement actions (for the user's themes)
    UPLOAD = "upload"                    # load extracts and returns
    MAPPINGS = "mappings"                # save column mappings
    TARGETS = "targets"                  # set indicators' targets
    BENCHMARKS = "benchmarks"            # import published figures
    DATA_QUALITY = "data_quality"        # the data-quality page
    USERS = "users"                      # add users, change roles, disable accounts
    AUDIT = "audit"                      # read and export the audit log


class Role(StrEnum):
    VIEWER = "viewer"
    MANAGER = "manager"
    ANALYST = "analyst"
    ADMIN = "admin"


_VIEWER = frozenset({Permission.VIEW})
_MANAGER = _VIEWER | {Permission.SMALL_NUMBERS, Permission.RECORDS, Permission.COMMENTARY, Permission.ACTIONS}
_ANALYST = _MANAGER | {Permission.UPLOAD, Permission.MAPPINGS, Permission.TARGETS, Permission.BENCHMARKS,
                       Permission.DATA_QUALITY}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER, Role.MANAGER: _MANAGER, Role.ANALYST: _ANALYST, Role.ADMIN: frozenset(Permission)}

THEMED = frozenset({Permission.COMMENTARY, Permission.ACTIONS})
"""Permissions a user limited to some themes holds only for indicators of those themes."""

ROLE_HELP = {
    Role.VIEWER: "sub-committee member: the scorecard, indicator pages, briefing and packs, small numbers hidden",
    Role.MANAGER: "head of service: also the small numbers, the records behind a figure, commentary and actions",
    Role.ANALYST: "performance analyst: also uploads, column mappings, targets, benchmarks and data quality",
    Role.ADMIN: "also users, roles and the audit log",
}


class Forbidden(PermissionError):
    """The identity asking may not do this (or nobody is signed in)."""


@dataclass(frozen=True)
class Identity:
    username: str
    role: Role
    display_name: str = ""
    themes: frozenset[str] | None = None
    """The themes the user's commentary and actions are limited to; None for every theme."""
    council: str | None = None
    """The council whose figures the user sees; None for the deployment's council."""

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def can(self, permission: Permission, themes: Iterable[str] | None = None) -> bool:
        """Whether the user holds `permission`; for commentary and actions on an
        indicator, pass its themes: a user limited to some themes needs one of them."""
        if permission not in PERMISSIONS[self.role]:
            return False
        if permission in THEMED and self.themes is not None and themes is not None:
            return bool(self.themes & set(themes))
        return True

    def require(self, permission: Permission, themes: Iterable[str] | None = None) -> Identity:
        if not self.can(permission, themes):
            raise Forbidden(refusal(permission, self))
        return self


def council_for(who: Identity | None) -> str:
    """The council whose figures `who` sees and whose data they change: the one their account
    is bound to (`scorecard users set-council`), else the deployment's (SCORECARD_COUNCIL).
    Every page, pack, download and upload asks here, so a user bound to a council is never
    shown, nor loads into, another council's store."""
    if who is not None and who.council:
        return who.council
    from scorecard import settings

    return settings.default_council()


def refusal(permission: Permission, who: Identity | None) -> str:
    if who is None:
        return "Please sign in."
    if permission in THEMED and permission in PERMISSIONS[who.role]:
        return f"{who.name} may write {permission.value} only for the themes {', '.join(sorted(who.themes or ()))}."
    return f"{who.name} is a {who.role.value}; this needs the {permission.value} permission."


def require(who: Identity | None, permission: Permission, themes: Iterable[str] | None = None) -> Identity:
    """`who` if it holds `permission`, else Forbidden (also when nobody is signed in)."""
    if who is None:
        raise Forbidden(refusal(permission, None))
    return who.require(permission, themes)


# --- who is asking -------------------------------------------------------------------------
# In a web request the identity is the signed-in user (scorecard.access.web sets it on
# flask.g); the command line and tests name one with `acting_as`.

_acting: contextvars.ContextVar[Identity | None] = contextvars.ContextVar("acting", default=None)


def current_identity() -> Identity | None:
    flask = sys.modules.get("flask")  # not imported: no web request (importing it costs 0.25 s)
    if flask is not None and flask.has_request_context():
        return flask.g.get("identity")
    return _acting.get()


@contextlib.contextmanager
def acting_as(who: Identity | None) -> Iterator[Identity | None]:
    """Outside a web request (the command line, tests of plain functions): act as `who`."""
    token = _acting.set(who)
    try:
        yield who
    finally:
        _acting.reset(token)
