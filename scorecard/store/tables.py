"""The store's tables: every one the product keeps, declared once (SQLAlchemy Core).

Records of the six datasets each point at the extract and the spreadsheet row they came
from. Rows are never updated or deleted except an extract's status and load summary:
loading the same months again marks the earlier extract `superseded`, and reads see only
rows of current extracts.
"""
from __future__ import annotations

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
)

metadata = MetaData()

CURRENT = "current"
SUPERSEDED = "superseded"

extracts = Table(
    "extracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("upload_id", String(36), nullable=False, index=True),
    Column("council", String(16), nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("first_month", String(7), nullable=False, doc="YYYY-MM: the first month the extract covers"),
    Column("last_month", String(7), nullable=False, doc="YYYY-MM: the last month it covers"),
    Column("as_at", Date, nullable=False, doc="the day its records are as at: a month's or a year's last day"),
    Column("complete_for", String(120), nullable=False,
           doc="what it lists in full for those months (scorecard.vocabulary.Completeness)"),
    Column("source_format", String(16), nullable=False, doc="template or ssda903"),
    Column("source_file", Text, nullable=False),
    Column("source_sheet", Text),
    Column("sha256", String(64), nullable=False),
    Column("also_from", Text, doc="JSON list of further files joined in (SSDA903 Header, UASC)"),
    Column("row_count", Integer, nullable=False),
    Column("fields", Text, doc="the fields the file had, comma separated: it says nothing about the others"),
    Column("mapping_id", Integer, ForeignKey("column_mappings.id"), doc="the saved column mapping used"),
    Column("changes", Text, doc="JSON: what this load changed in the store (the load summary)"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Column("status", String(12), nullable=False),
    Column("superseded_by", Integer, ForeignKey("extracts.id")),
    # At most one current extract per council, dataset, span of months and format: a
    # second load racing the first fails instead of leaving two "current" versions. (A
    # return's OC2 flags for March and March's monthly health file are not versions of
    # one another.)
    Index(
        "one_current_extract",
        "council",
        "dataset",
        "first_month",
        "last_month",
        "source_format",
        unique=True,
        sqlite_where=Column("status") == CURRENT,
        postgresql_where=Column("status") == CURRENT,
    ),
)

column_mappings = Table(
    "column_mappings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("council", String(16), nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("version", Integer, nullable=False, doc="1, 2, ...: every change is a new version; none is deleted"),
    Column("column_headers", Text, nullable=False, doc="JSON: {field: [header as written, ...]}"),
    Column("value_aliases", Text, nullable=False, doc="JSON: {field: {value as written: code}}"),
    Column("note", Text, doc="what changed in this version"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("status", String(12), nullable=False),
    Index("one_mapping_version", "council", "dataset", "version", unique=True),
)


def _record_table(name: str, *columns: Column) -> Table:
    """A table of child-level records, each pointing at the extract and row it came from."""
    table = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("extract_id", Integer, ForeignKey("extracts.id"), nullable=False),
        Column("source_row", Integer, nullable=False, doc="row number as shown in the source file"),
        *columns,
    )
    # Only the extract index: rows are read per extract. An index on child_id costs 40%
    # more insert time on every upload for look-ups the metrics layer does in memory.
    Index(f"{name}_by_extract", table.c.extract_id)
    return table


children_in_care = _record_table(
    "children_in_care",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(4), nullable=False),
    Column("ethnicity", String(4)),
    Column("uasc", Boolean, nullable=False),
    Column("disability", Boolean),
    Column("legal_status", String(4), nullable=False),
    Column("period_start", Date, doc="as the file gives it; empty in the SSDA903, where it is worked out "
           "from the child's episodes across every return"),
    Column("episode_start", Date, nullable=False),
    Column("episode_end", Date),
    Column("reason_new_episode", String(4)),
    Column("reason_episode_ceased", String(4)),
    Column("category_of_need", String(4)),
    Column("placement_type", String(4), nullable=False),
    Column("placement_provider", String(4), doc="required in the template; the SSDA903 leaves it blank for some placements"),
    Column("placed_in_area", Boolean),
    Column("placement_la", String(16)),
    Column("distance_miles", Float),
    Column("home_postcode", String(10)),
    Column("placement_postcode", String(10)),
    Column("district", String(80)),
)

visits = _record_table(
    "visits",
    Column("child_id", String(40), nullable=False),
    Column("date_due", Date, nullable=False),
    Column("date_done", Date),
    Column("team", String(80)),
)

missing_episodes = _record_table(
    "missing_episodes",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("in_care", Boolean, nullable=False),
    Column("missing_from", DateTime, nullable=False),
    Column("found_at", DateTime),
    Column("absence_type", String(2)),
    Column("district", String(80)),
)

return_interviews = _record_table(
    "return_interviews",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("offered_at", DateTime),
    Column("held_at", DateTime),
)

health_assessments = _record_table(
    "health_assessments",
    Column("child_id", String(40), nullable=False),
    Column("assessment_type", String(20), nullable=False),
    Column("looked_after_date", Date),
    Column("date_due", Date),
    Column("date_completed", Date),
    Column("placed_in_area", Boolean),
    Column("host_la", String(80)),
    Column("up_to_date", Boolean, doc="SSDA903 OC2 flags, where no date is known"),
    Column("sdq_score", Integer),
)

care_leavers = _record_table(
    "care_leavers",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("birthday", Date, nullable=False),
    Column("in_touch", String(4), nullable=False),
    Column("activity", String(4)),
    Column("accommodation", String(4)),
)

published_releases = Table(
    "published_releases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_file", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True, doc="the file's content: importing it again adds nothing"),
    Column("layout", String(16), nullable=False, doc="ees (Explore Education Statistics tidy CSV) or lait"),
    Column("latest_year", Integer, nullable=False, doc="the file's latest year: a later release revises earlier years"),
    Column("figure_count", Integer, nullable=False),
    Column("not_mapped", Text, doc="JSON: what in the file no measure reads, and rows it could not read"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
)

published_figures = Table(
    "published_figures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("release_id", Integer, ForeignKey("published_releases.id"), nullable=False),
    Column("measure", String(200), nullable=False, doc="the entry of published_measures.yaml it was read by"),
    Column("indicator", String(80), nullable=False),
    Column("area_code", String(16), nullable=False, doc="ONS code of England, a region or a council"),
    Column("level", String(24), nullable=False, doc="national, regional or local_authority (statistical_neighbours: "
           "a neighbour average an earlier release loaded, which no comparator reads)"),
    Column("year", Integer, nullable=False, doc="the year ending 31 March: 2025 is 2024/25"),
    Column("value", Float, doc="in the indicator's unit (a fraction for percentages); null unless published"),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("state", String(20), nullable=False,
           doc="published, suppressed (c), rounds_to_zero (k), not_available (x, LAIT's -) or not_applicable (z)"),
    Index("published_by_indicator", "indicator", "year"),
)

commentary = Table(
    "commentary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("indicator", String(80), nullable=False, doc="an indicator id in metrics.yaml"),
    Column("period", String(7), nullable=False, doc="YYYY-MM: the month of the figure it explains"),
    Column("text", Text, nullable=False, doc="a short footnote, at most 1,000 characters"),
    Column("author", String(120), nullable=False),
    Column("written_at", DateTime, nullable=False, doc="UK local time, as the officer wrote it"),
    Column("source_file", Text, doc="the file it was loaded from; null when added by hand"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    # Every version is kept: a later comment on the same figure is a new row.
    Index("commentary_by_indicator", "council", "indicator", "period"),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("meeting_date", Date, nullable=False),
    Column("committee", String(120), nullable=False, doc="e.g. Corporate Parenting Board"),
    Column("shows_period", String(7), nullable=False,
           doc="YYYY-MM: the month the scorecard at that meeting showed"),
    Column("cancelled", Boolean, nullable=False, default=False),
    Column("source_file", Text, doc="the file it was loaded from; null when added by hand"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    # Every version is kept: a meeting moved to another month, or cancelled, is a new row
    # for the same date and committee, and the newest row is the one read.
    Index("meetings_by_date", "council", "meeting_date"),
)

improvement_actions = Table(
    "improvement_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("reference", String(40), nullable=False, doc="the committee's own reference for the action, e.g. A12"),
    Column("indicator", String(80), nullable=False, doc="an indicator id in metrics.yaml"),
    Column("action", Text, nullable=False),
    Column("owner", String(120), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False, doc="not_started, in_progress, complete or dropped"),
    Column("update_text", Text, doc="what the owner reported at this update"),
    Column("updated_on", Date, nullable=False, doc="the day of this update (or the day the action was agreed)"),
    Column("source_file", Text, doc="the file it was loaded from; null when added by hand"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    # Every update is a new row (a dated version of the whole action): the newest is the
    # action as it stands, and the older ones are its history.
    Index("actions_by_reference", "council", "reference"),
    Index("actions_by_indicator", "council", "indicator"),
)

target_settings = Table(
    "target_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("indicator", String(80), nullable=False, doc="an indicator id in metrics.yaml"),
    Column("applies_from", String(7), nullable=False, doc="YYYY-MM: the first month the target applies to"),
    Column("green", Float, doc="green at or beyond this value (a fraction for percentages); null: no target"),
    Column("amber", Float, doc="amber at or beyond this value; null: no target"),
    Column("reason", Text, doc="why it was set, e.g. the committee's decision"),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("set_by", String(120), nullable=False),
    # Every version is kept: a later row for the same council, indicator and month replaces
    # the earlier one from that month on, over the catalogue's own targets.
    Index("targets_by_indicator", "council", "indicator", "applies_from"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(120), nullable=False, doc="as typed at sign-in (or sent by single sign-on), lower case"),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False, doc="viewer, manager, analyst or admin"),
    Column("themes", Text, doc="comma-separated theme ids the user's commentary and actions are limited to"),
    Column("council", String(16), doc="the council the user sees; null: the deployment's council"),
    Column("password_hash", Text, doc="argon2id; null for an account that signs in only through single sign-on"),
    Column("active", Boolean, nullable=False, default=True),
    Column("session_version", Integer, nullable=False, default=1,
           doc="raised on each change of password, role or status: signs out the user's sessions"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Accounts change in place (role, status, password); each change is in the audit log.
    Index("one_username", "username", unique=True),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False, doc="the user, or cli:<operating-system user>"),
    Column("action", String(40), nullable=False, doc="e.g. login, login_failed, upload, commentary, role_change"),
    Column("council", String(16)),
    Column("subject", Text, doc="what was acted on: a username, an indicator, a file"),
    Column("details", Text, doc="JSON: before and after, counts, the reason for a refusal"),
    Column("address", String(64), doc="the client's IP address, for web requests"),
    # Append-only: the store offers no update or delete, and triggers refuse them.
    Index("audit_by_time", "at"),
    Index("audit_by_actor", "actor", "action", "at"),
)

# Figures computed once per load (`scorecard.metrics.figure_sets`), not by every web worker on
# its first request. A set is named by what it was computed from: the council's current
# extracts and a fingerprint of the catalogue and of the code that computes (`basis`), so
# a set is never read for data or code it was not made from. Only the newest few sets of
# each council are kept: they are a cache of what the records say, and can be made again.
figure_sets = Table(
    "figure_sets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("basis", String(64), nullable=False, doc="sha256 of the current extract ids, the catalogue and the code"),
    Column("extract_ids", Text, nullable=False, doc="the current extracts it was computed from, ';'-separated"),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("seconds", Float, doc="how long computing it took"),
    Column("figure_count", Integer, nullable=False),
    Index("one_set_per_basis", "council", "basis", unique=True),
)

computed_figures = Table(
    "computed_figures",
    metadata,
    Column("figure_set_id", Integer, ForeignKey("figure_sets.id", ondelete="CASCADE"), nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("period", String(7), nullable=False),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("value", Float),
    Column("extract_ids", Text, doc="the extracts the figure came from, ';'-separated"),
    Column("note", Text),
    Column("incomplete", Float),
    Column("history_note", Text),
    Index("figures_of_set", "figure_set_id"),
)

suppression_decisions = Table(
    "suppression_decisions",
    metadata,
    Column("figure_set_id", Integer, ForeignKey("figure_sets.id", ondelete="CASCADE"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("counts_digest", String(64), nullable=False,
           doc="sha256 of the month's counts it was decided on: a later set whose month has the same "
               "counts takes this decision rather than making it again"),
    Column("hidden", Text, nullable=False, doc="JSON: [indicator, breakdown, group, reason] of each hidden figure"),
    Index("decision_of_month", "figure_set_id", "period", unique=True),
)

# The database itself refuses to change or remove an audit event, whatever code connects.
APPEND_ONLY_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("UPDATE", "DELETE")]
APPEND_ONLY_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
]
for _statement in APPEND_ONLY_SQLITE:
    event.listen(audit_events, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(audit_events, "after_create", DDL(_statement).execute_if(dialect="postgresql"))

RECORD_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        children_in_care,
        visits,
        missing_episodes,
        return_interviews,
        health_assessments,
        care_leavers,
    )
}




def text_columns(table: Table) -> dict[str, int | None]:
    """Each text column of `table` and the most characters it holds (None: Text, no limit).
    PostgreSQL refuses a longer value, and a NUL character in any of them; SQLite takes both,
    so ingest checks every value against this before it writes (ingest.store_fit)."""
    return {column.name: column.type.length for column in table.columns if isinstance(column.type, String)}


RECORD_TEXT_COLUMNS: dict[str, dict[str, int | None]] = {name: text_columns(t) for name, t in RECORD_TABLES.items()}
"""Dataset -> its record table's text columns and their lengths."""
