"""Each web worker's councils in memory: the metrics of the few councils viewed last.

The figures themselves are computed once per load and kept in the store
(`figure_sets`); a worker reads a council's set when first asked for it and keeps the
object, with its lookups and whatever breakdowns were asked for, until something the
council's pages show changes (`store.figures_state`: its extracts or its neighbours',
a benchmark release, its targets). Commentary is read fresh and changes nothing here, and
a load by one council leaves the others' entries alone. At most
SCORECARD_COUNCILS_IN_MEMORY councils are kept; the least recently used goes first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.engine import Engine

from scorecard import councils, settings, store
from scorecard.metrics import figure_sets
from scorecard.metrics.catalogue import Catalogue, load_catalogue
from scorecard.metrics.report import CouncilMetrics

_kept: OrderedDict[tuple, tuple[tuple, CouncilMetrics]] = OrderedDict()
_lock = threading.Lock()


def council_metrics(engine: Engine, council_code: str, catalogue: Catalogue | None = None) -> CouncilMetrics:
    """The council's metrics, read again only when what they show has changed.

    The freshness is read from the store on every call, so a load made by another
    process (another worker, the command line) is seen on the next request."""
    catalogue = catalogue or load_catalogue()
    neighbours = [n.code for n in councils.neighbours(council_code, settings.neighbour_model())]
    with store.read_connection(engine) as conn:
        state = store.figures_state(conn, neighbours, council_code)
    with_data = {code for code, *_ in state[0]}
    key = (str(engine.url), council_code, id(catalogue))
    with _lock:
        kept = _kept.get(key)
        if kept and kept[0] == state and kept[1].catalogue is catalogue:
            _kept.move_to_end(key)
            return kept[1]
    # Built outside the lock: another council's page need not wait for this one.
    neighbour_values = {code: figure_sets.figures_for(engine, code, catalogue).values
                        for code in neighbours if code in with_data}
    metrics = CouncilMetrics(engine, council_code, catalogue, neighbour_values)
    with _lock:
        _kept[key] = (state, metrics)
        _kept.move_to_end(key)
        while len(_kept) > settings.councils_in_memory():
            _kept.popitem(last=False)
    return metrics


def forget_all() -> None:
    """Empty this process's councils (as a new worker would start)."""
    with _lock:
        _kept.clear()


def kept_councils() -> list[str]:
    """The councils this process keeps, least recently used first."""
    with _lock:
        return [key[1] for key in _kept]
