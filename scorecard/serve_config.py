"""gunicorn's settings for the web app (`make serve`):

    gunicorn --config python:scorecard.serve_config app:server [--workers 5] [--bind 127.0.0.1:8050]

Command-line flags (and GUNICORN_CMD_ARGS) override what is set here; the app's own
settings (DATABASE_URL, SCORECARD_ENVIRONMENT, SCORECARD_SECRET_KEY, SCORECARD_PROXIES ...)
are read by the app, as under `python app.py`.

Why these values:
- workers: 2 x cores + 1 (gunicorn's rule of thumb). Figures are computed in Python with the
  GIL held, so a worker answers one CPU-bound callback at a time; each worker keeps its own
  copy of the computed figures (see the README on memory). Two threads per worker let a
  worker answer a cheap request (a sign-in, a script) while its other thread waits on the
  store, without doubling the memory as another process would.
- timeout 120 s: the first request after a load computes the council's figures (seconds on
  a large council) and a 50 MB upload is read and checked in the request; gunicorn's default
  30 s would kill the worker in the middle and the user would see a 502.
- graceful_timeout 30 s: on SIGTERM (systemctl stop, a deploy) or SIGHUP (reload) each worker
  stops accepting, finishes the requests it has (an upload's one transaction commits or
  never starts), closes its store connections and exits; after 30 s it is killed, and a
  load it was writing rolls back whole (the store keeps the old state).
- preload_app: app.py is imported once in the master before the workers fork, so a bad
  setting (a weak secret key in production) stops the server once, with its message, rather
  than in every worker in a restart loop, and the workers share the imported libraries'
  memory copy-on-write. The price: anything the import opened is inherited by every worker.
  A SQLAlchemy engine's pooled connections must never be shared across fork (two processes
  talking on one PostgreSQL socket corrupt each other's results), so the master closes its
  pool once the app is loaded, and each worker, after the fork, drops the pool it inherited
  without closing the parent's sockets (`dispose(close=False)`) and opens its own.
- with preload the master also computes the deployment council's figures, and builds its
  latest scorecard and an indicator page, before forking (`when_ready`), so no worker's
  first request pays for them (5 to 8 s of CPU each on the demo county, five workers at
  once on two cores); a load made later is computed once by the load itself and kept in
  the store (`scorecard.metrics.figure_sets`): each worker then reads the kept figures on
  its next request rather than computing them.
- the access log leaves out query strings (%(U)s, the path only): pages are addressed with
  the month and indicator, but the sign-in's ?next= and any future query may carry more than
  a path, and callbacks' bodies (the data) are never logged. The client's address is the one
  the proxy forwarded when SCORECARD_PROXIES says there is one.
"""
from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "app:server"
bind = ["127.0.0.1:8050"]
workers = 2 * _cores() + 1
worker_class = "gthread"
threads = 2
timeout = 120
graceful_timeout = 30
keepalive = 5  # behind a reverse proxy that reuses its connections to the app
preload_app = True
proc_name = "scorecard"
# The heartbeat file in memory: a worker on a slow or full disk is not taken for hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-"
errorlog = "-"
loglevel = "info"
# Who, when, method, path without the query string, status, bytes, seconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'


def _store_engine():
    from scorecard import store

    return store.engine()


def when_ready(server) -> None:
    """In the master, after the app is loaded and before any worker forks: compute the
    deployment council's figures once, so that every worker starts with them (inherited
    with the process) rather than each paying for them on its first request; then close
    what that and the import opened, so no worker inherits a live connection."""
    if server.cfg.preload_app:
        _compute_figures(server)
    _store_engine().dispose()


def _compute_figures(server) -> None:
    import time

    from sqlalchemy.exc import SQLAlchemyError

    from scorecard import settings
    from scorecard.metrics import metrics_for

    started = time.perf_counter()
    try:
        figures = metrics_for(settings.default_council())
        latest = figures.latest_period()
        if latest:
            _build_pages(latest, figures.catalogue.indicators[0].id)
    except (SQLAlchemyError, OSError, ValueError, LookupError) as error:  # the workers will say it again
        server.log.warning("The figures were not computed before the workers started (%s: %s); each worker "
                           "computes them on its first request.", type(error).__name__, error)
        return
    built = " and built its latest scorecard" if latest else " (the store holds none of its data yet)"
    server.log.info("Computed the figures of %s (%s months)%s in %.1f s, before starting the workers.",
                    figures.council, len(figures.periods()), built, time.perf_counter() - started)


def _build_pages(period: str, indicator_id: str) -> None:
    """The scorecard and an indicator page for the latest month, built as a viewer would be
    shown them: what a process pays once besides the figures (the month's suppression, the
    charts' first build, about 3 s of CPU on the demo county) is then paid in the master."""
    import dash

    from scorecard.access import Identity, Role, acting_as

    layouts = {page.get("path_template") or page["path"]: page["layout"] for page in dash.page_registry.values()}
    with acting_as(Identity("gunicorn-start-up", Role.VIEWER)):
        layouts["/"](period=period)
        layouts["/indicator/<indicator_id>"](indicator_id=indicator_id, period=period)
