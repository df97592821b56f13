"""Recording a download in the audit log: what was exported, which month, and whether the
small numbers were hidden. A download changes nothing, so its entry is a transaction of
its own (the pages and routes reach the store only through this layer)."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.access import audit

EXPORT = "export"


def record_export(engine: Engine, name: str, kind: str, period: str, public: bool, council: str,
                  actor: str | None = None, **more) -> None:
    """`name`: the file's name; `kind`: pdf, xlsx, records or csv; `public`: small numbers hidden;
    `actor`: who downloaded it (default: the identity asking)."""
    details = {"kind": kind, "period": period, "suppressed": public,
               **{key: value for key, value in more.items() if value is not None}}
    with store.write_transaction(engine) as conn:
        audit.record(conn, EXPORT, subject=name, details=details, council=council, who=actor)
