"""The checks at the top of every callback, route and page layout.

Each guard records the permission it needs on the function (`required_permission`), so
the web layer can refuse a request before it reaches Dash and the tests can list every
callback, route and page with what it needs: one with none is refused (scorecard.access.web)
and fails the tests, so a new one cannot be forgotten.

    @callback(Output(...), Input(...))
    @guarded(Permission.UPLOAD)
    def load_upload(...): ...

    @page_layout(Permission.DATA_QUALITY)
    def layout(**query): ...
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from scorecard.access.roles import (
    Forbidden,
    Permission,
    current_identity,
    refusal,
    require,
)

F = TypeVar("F", bound=Callable[..., Any])
REFUSED_ID = "access-refused"


def guarded(permission: Permission) -> Callable[[F], F]:
    """A callback or route that needs `permission`: Forbidden (HTTP 403) otherwise."""
    def wrap(func: F) -> F:
        @functools.wraps(func)
        def checked(*args, **kwargs):
            require(current_identity(), permission)
            return func(*args, **kwargs)

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]
    return wrap


def page_layout(permission: Permission) -> Callable[[F], F]:
    """A page's layout that needs `permission`: anyone else is shown why not, not the page."""
    def wrap(func: F) -> F:
        @functools.wraps(func)
        def checked(*args, **kwargs):
            who = current_identity()
            try:
                require(who, permission)
            except Forbidden:
                return refused_page(refusal(permission, who))
            return func(*args, **kwargs)

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]
    return wrap


def required_permission(func: Callable) -> Permission | None:
    """The permission a guarded function needs (through Dash's and Flask's wrappers)."""
    while func is not None:
        permission = getattr(func, "required_permission", None)
        if permission is not None:
            return permission
        func = getattr(func, "__wrapped__", None)
    return None


def refused_page(message: str):
    from dash import html

    return html.Div([
        html.H1("Not available to you"),
        html.P(message),
        html.P(["Ask the scorecard's administrator if you need it. ", html.A("Back to the scorecard", href="/")]),
    ], id=REFUSED_ID)
