"""The metrics layer: metrics.yaml turned into figures, month by month, with lineage.

The web app and the command line use only what is exported here:

    figures = council_metrics(engine, council)       # computed once per load, kept in the store
    figures.scorecard("2025-03")                      # one row per indicator: value, RAG,
                                                      # direction, target, comparators, extracts
    figures.trend("rhi_completed", "2025-03", 24)     # the last 24 months
    figures.breakdowns("iha_in_timescale", ["2025-03"])
    format_value("percent", 0.777)                    # "77.7%": formatting happens at the edge

Layers: cohorts (named measure functions) -> compute (sums and ratios) -> report
(targets, RAG, benchmarks, direction). Nothing here imports Dash.
"""
from scorecard import store
from scorecard.metrics.cache import council_metrics
from scorecard.metrics.catalogue import (
    Catalogue,
    CatalogueError,
    Indicator,
    load_catalogue,
)
from scorecard.metrics.formatting import describe, format_value
from scorecard.metrics.report import CouncilMetrics, report_table

__all__ = ["Catalogue", "CatalogueError", "CouncilMetrics", "Indicator", "council_metrics", "describe",
           "format_value", "load_catalogue", "metrics_for", "report_table"]


def metrics_for(council: str) -> CouncilMetrics:
    """The council's figures from the configured store: the web app's way in, so that no
    page or view opens the store itself."""
    return council_metrics(store.engine(), council)
