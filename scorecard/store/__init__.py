"""The one door to the database: engines, tables, the store's rules, and the operations on it.

Every table lives here and every statement is SQLAlchemy Core with bound parameters, so
the same code runs on the embedded SQLite file and on PostgreSQL. Ingest is the only
writer of records; it writes through `write_transaction` (one transaction per upload),
`add_extract` (the versioning rule: an extract supersedes the current one of the same
council, dataset, months and format, whose rows stay) and `insert_columns`. Readers use
`read_connection`. The schema is made, or migrated from an earlier release with its data
kept, on first use (`migrate.py`, Alembic).

Rows are never updated or deleted except an extract's status and load summary, and a
mapping's status: every version of everything is kept.
"""
from scorecard.store.accounts import (
    audit_rows,
    count_events,
    insert_target,
    insert_user,
    record_event,
    target_rows,
    update_user,
    user_row,
    user_rows,
)
from scorecard.store.bulk import insert_columns
from scorecard.store.connections import (
    _tune_sqlite,
    check_store,
    create_all,
    engine,
    read_connection,
    snapshot_connection,
    write_transaction,
)
from scorecard.store.figures import (
    FIGURE_COLUMNS,
    current_extract_ids,
    decisions,
    decisions_by_digest,
    figure_columns,
    figure_set,
    figures_state,
    published_state,
    store_decisions,
    store_figure_set,
)
from scorecard.store.queries import (
    EXTRACT_COLUMNS,
    action_rows,
    add_extract,
    add_published_figures,
    add_published_release,
    commentary_rows,
    councils_with_data,
    current_extracts,
    current_extracts_covering,
    current_mapping,
    current_mappings,
    current_records,
    distinct_values,
    dump,
    extract_records,
    insert_commentary,
    list_extracts,
    mapping_versions,
    meeting_rows,
    published_release,
    published_releases_list,
    published_rows,
    release_measures,
    save_mapping,
    set_extract_changes,
    store_version,
)
from scorecard.store.refusals import (
    LoadRaced,
    StoreBusy,
    StoreMissing,
    StoreReadOnly,
    StoreRefused,
    StoreUnreachable,
)
from scorecard.store.tables import (
    CURRENT,
    RECORD_TABLES,
    RECORD_TEXT_COLUMNS,
    SUPERSEDED,
    audit_events,
    care_leavers,
    children_in_care,
    column_mappings,
    commentary,
    computed_figures,
    extracts,
    figure_sets,
    health_assessments,
    improvement_actions,
    meetings,
    metadata,
    missing_episodes,
    published_figures,
    published_releases,
    return_interviews,
    suppression_decisions,
    target_settings,
    users,
    visits,
)

__all__ = [
    "FIGURE_COLUMNS", "computed_figures", "current_extract_ids", "decisions", "decisions_by_digest",
    "figure_columns", "figure_set", "figure_sets", "figures_state", "published_state", "snapshot_connection", "store_decisions", "store_figure_set",
    "suppression_decisions",
    "audit_events", "audit_rows", "count_events", "insert_target", "insert_user", "record_event", "target_rows",
    "target_settings", "update_user", "user_row", "user_rows", "users",
    "CURRENT", "EXTRACT_COLUMNS", "RECORD_TABLES", "RECORD_TEXT_COLUMNS", "SUPERSEDED", "_tune_sqlite", "action_rows", "add_extract", "add_published_figures", "add_published_release",
    "care_leavers", "children_in_care", "column_mappings", "commentary", "commentary_rows",
    "councils_with_data", "create_all", "current_extracts", "current_extracts_covering", "current_mapping",
    "current_mappings", "current_records", "distinct_values", "dump", "engine", "extract_records", "extracts", "health_assessments", "improvement_actions", "insert_columns",
    "insert_commentary", "list_extracts", "mapping_versions", "meeting_rows", "meetings", "metadata", "missing_episodes", "published_figures", "published_release",
    "published_releases", "published_releases_list", "published_rows", "read_connection", "release_measures",
    "return_interviews", "save_mapping", "check_store", "LoadRaced", "StoreBusy", "StoreMissing", "StoreReadOnly",
    "StoreRefused", "StoreUnreachable", "set_extract_changes", "store_version", "visits", "write_transaction",
]
