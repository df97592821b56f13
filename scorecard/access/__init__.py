"""Sign-in, roles and the audit trail: who is asking, what they may do, and what they did.

    from scorecard.access import Identity, Permission, Role, Forbidden, current_identity, require
    from scorecard.access import guarded, page_layout          # callbacks, routes and pages
    from scorecard.access import audit                         # audit.record(...)

The web layer (`scorecard.access.web`) signs users in and sets the identity for each
request; everything else asks `current_identity()` and checks with `require`.
"""
from scorecard.access.guards import (
    REFUSED_ID,
    guarded,
    page_layout,
    refused_page,
    required_permission,
)
from scorecard.access.roles import (
    PERMISSIONS,
    ROLE_HELP,
    THEMED,
    Forbidden,
    Identity,
    Permission,
    Role,
    acting_as,
    council_for,
    current_identity,
    refusal,
    require,
)


def store_engine():
    """The store the web app serves (DATABASE_URL): how the pages above the metrics layer
    name it to the access and ingest functions they call, without importing the store."""
    from scorecard import store

    return store.engine()


__all__ = [
    "PERMISSIONS", "REFUSED_ID", "ROLE_HELP", "THEMED", "Forbidden", "Identity", "Permission", "Role", "acting_as",
    "council_for", "current_identity", "guarded", "page_layout", "refusal", "refused_page", "require",
    "required_permission", "store_engine",
]
