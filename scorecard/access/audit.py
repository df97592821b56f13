"""Recording what people did, in the same transaction as the doing.

    with store.write_transaction(engine) as conn:
        ...the change...
        audit.record(conn, "commentary", subject=indicator, details={"before": old, "after": new})

The actor is the signed-in user in a web request, `cli:<operating-system user>` on the
command line; the address is the client's, for web requests.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from scorecard import settings, store
from scorecard.access.roles import current_identity


def actor() -> str:
    who = current_identity()
    return who.username if who is not None else f"cli:{settings.current_user()}"


def client_address() -> str | None:
    flask = sys.modules.get("flask")  # not imported: no web request, so no address
    return flask.request.remote_addr if flask is not None and flask.has_request_context() else None


def record(conn: Connection, action: str, subject: str | None = None, details: Mapping[str, Any] | None = None,
           council: str | None = None, who: str | None = None, address: str | None = None) -> int:
    return store.record_event(conn, who or actor(), action, subject=subject, details=details, council=council,
                              address=address or client_address())
