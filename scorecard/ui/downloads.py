"""The downloads: the meeting packs, `/download/scorecard-2025-03.pdf` and `.xlsx`, and the
records behind a figure, `/download/records/<indicator_id>/2025-03.csv`.

Plain Flask routes rather than Dash callbacks, so a pack is a link a councillor can
bookmark or email, and a browser downloads it like any file. Each route checks the
permission it needs (`guarded`) and builds what it sends for the signed-in user: a pack is
public unless the user may see the small numbers, and then every page and sheet of it,
and its file name, say it is not for publication. Every download is recorded in the audit
log as an export (what, which month, whether small numbers were hidden)."""
from __future__ import annotations

import datetime as dt

from flask import Flask, Response, abort, request

from scorecard.access import Identity, Permission, current_identity, guarded
from scorecard.metrics import CouncilMetrics
from scorecard.metrics.catalogue import period_is_valid
from scorecard.metrics.exports import record_export
from scorecard.packs import PackUnavailable
from scorecard.ui.records_view import records_csv, records_file_name
from scorecard.ui.views import NoData, build_scorecard, figures_for, public_for

MEDIA_TYPES = {"pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv; charset=utf-8"}


def pack_bytes(metrics: CouncilMetrics, kind: str, period: str, framework: str | None = None,
               public: bool = True) -> bytes:
    """The council's pack for a month; LookupError if the month has no figures. `public`
    False shows the small numbers (for those who may see them: `views.public_for`)."""
    from scorecard.packs import meeting_pack

    if period not in metrics.periods():
        raise LookupError(f"no figures for {period}")
    card = build_scorecard(metrics, period, framework, public=public)
    return meeting_pack(kind, card, metrics)


def pack_file_name(council: str, period: str, kind: str, public: bool) -> str:
    marked = "" if public else "-not-for-publication"
    return f"corporate-parenting-scorecard-{council}-{period}{marked}.{kind}"


def pack_for(who: Identity | None, kind: str, period: str, framework: str | None = None) -> tuple[str, bytes]:
    """The file name and bytes of the pack `who` may have, its download recorded as an
    export. LookupError if the month has no figures."""
    public = public_for(who)
    metrics = figures_for(who)
    content = pack_bytes(metrics, kind, period, framework, public)
    name = pack_file_name(metrics.council, period, kind, public)
    # After it is built, before it is sent: a pack that fails to build was never exported.
    record_export(metrics.engine, name, kind, period, public, metrics.council, framework=framework)
    return name, content


def _attachment(content: bytes, kind: str, name: str) -> Response:
    return Response(content, mimetype=MEDIA_TYPES[kind], headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def register_downloads(server: Flask) -> None:
    @server.get("/admin/audit.csv")
    @guarded(Permission.AUDIT)
    def download_audit():
        from scorecard.access import current_identity, store_engine
        from scorecard.ui.admin_view import AuditFilter, audit_download

        chosen = AuditFilter.from_query(request.args.get("actor"), request.args.get("action"), request.args.get("days"))
        content, _count = audit_download(store_engine(), current_identity(), chosen)
        stamp = dt.date.today().isoformat()
        return Response(content, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="scorecard-audit-{stamp}.csv"', "Cache-Control": "no-store"})

    @server.get("/download/scorecard-<period>.<kind>")
    @guarded(Permission.VIEW)
    def download_pack(period: str, kind: str):
        if kind not in ("pdf", "xlsx") or not period_is_valid(period):
            abort(404)
        try:
            name, content = pack_for(current_identity(), kind, period, request.args.get("framework"))
        except (LookupError, NoData):
            abort(404, description=f"There are no figures for {period}.")
        except PackUnavailable as error:
            abort(503, description=f"This server cannot build the pack: {error}")
        return _attachment(content, kind, name)

    @server.get("/download/records/<indicator_id>/<period>.csv")
    @guarded(Permission.RECORDS)
    def download_records(indicator_id: str, period: str):
        metrics = figures_for(current_identity())
        if indicator_id not in metrics.catalogue.by_id or not period_is_valid(period):
            abort(404)
        if period not in metrics.periods():
            abort(404, description=f"There are no figures for {period}.")
        try:
            listing, content = records_csv(metrics, indicator_id, period, current_identity())
        except LookupError as error:  # the indicator offers no list
            abort(404, description=str(error))
        name = records_file_name(metrics.council, indicator_id, period)
        record_export(metrics.engine, name, "records", period, False, metrics.council, indicator=indicator_id,
                      rows=len(listing.table), counted=listing.counted)
        return _attachment(content, "csv", name)
