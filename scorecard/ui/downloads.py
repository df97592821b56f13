"""The meeting packs as downloads: `/download/scorecard-2025-03.pdf` and `.xlsx`.

Plain Flask routes rather than Dash callbacks, so a pack is a link a councillor can
bookmark or email, and a browser downloads it like any file."""
from __future__ import annotations

import datetime as dt

from flask import Flask, Response, abort, request

from scorecard import settings
from scorecard.access import Permission, guarded
from scorecard.metrics.catalogue import period_is_valid
from scorecard.packs import PackUnavailable
from scorecard.ui.views import NoData, build_scorecard, figures

MEDIA_TYPES = {"pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def pack_bytes(kind: str, period: str, framework: str | None = None) -> bytes:
    """The pack for a month; LookupError if the month has no figures."""
    from scorecard.packs import meeting_pack

    metrics = figures(settings.default_council())
    if period not in metrics.periods():
        raise LookupError(f"no figures for {period}")
    card = build_scorecard(metrics, period, framework)
    return meeting_pack(kind, card, metrics)


def register_downloads(server: Flask) -> None:
    @server.get("/admin/audit.csv")
    @guarded(Permission.AUDIT)
    def download_audit():
        from scorecard import store
        from scorecard.access import current_identity
        from scorecard.ui.admin_view import AuditFilter, audit_download

        chosen = AuditFilter.from_query(request.args.get("actor"), request.args.get("action"), request.args.get("days"))
        content, _count = audit_download(store.engine(), current_identity(), chosen)
        stamp = dt.date.today().isoformat()
        return Response(content, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="scorecard-audit-{stamp}.csv"', "Cache-Control": "no-store"})

    @server.get("/download/scorecard-<period>.<kind>")
    @guarded(Permission.VIEW)
    def download_pack(period: str, kind: str):
        if kind not in MEDIA_TYPES or not period_is_valid(period):
            abort(404)
        try:
            content = pack_bytes(kind, period, request.args.get("framework"))
        except (LookupError, NoData):
            abort(404, description=f"There are no figures for {period}.")
        except PackUnavailable as error:
            abort(503, description=f"This server cannot build the pack: {error}")
        name = f"corporate-parenting-scorecard-{settings.default_council()}-{period}.{kind}"
        return Response(content, mimetype=MEDIA_TYPES[kind], headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
