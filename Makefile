# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run serve test install demo bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Generate and load the demo county (once), the DfE's published figures and the demo's
# commentary, meeting calendar and action log (loading any again adds nothing), make one
# demo account of each role (their passwords are printed and kept in data/demo-accounts.txt),
# then serve the app on http://127.0.0.1:8050
run: $(STAMP)
	$(BIN)/scorecard demo --if-empty
	$(BIN)/scorecard benchmarks import data/reference/dfe
	$(BIN)/scorecard commentary load data/reference/demo_commentary.csv
	$(BIN)/scorecard meetings load data/reference/demo_meetings.csv
	$(BIN)/scorecard actions load data/reference/demo_actions.csv
	$(BIN)/scorecard users demo
	$(BIN)/python app.py

# The app under gunicorn, for more than one person: several worker processes (2 x cores + 1)
# serving the store in DATABASE_URL (the embedded SQLite file unless it is set), on
# 127.0.0.1:8050 for a reverse proxy in front (README: running it for a council).
# `make serve WORKERS=3 BIND=0.0.0.0:8000`; the rest is in scorecard/serve_config.py.
WORKERS ?=
BIND    ?=
serve: $(STAMP)
	$(BIN)/gunicorn --config python:scorecard.serve_config $(if $(WORKERS),--workers $(WORKERS)) \
		$(if $(BIND),--bind $(BIND)) app:server

# Every test, against SQLite and against a throwaway PostgreSQL server when one can be
# started here (.ci/run installs PostgreSQL; in CI a missing server fails the run).
test: $(STAMP)
	$(BIN)/scorecard metrics check
	@url="$${TEST_POSTGRES_URL:-$$(.ci/postgres.sh start 2>/dev/null || true)}"; \
	TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest -ra $(PYTEST_ARGS); status=$$?; \
	[ -n "$${TEST_POSTGRES_URL:-}" ] || .ci/postgres.sh stop; exit $$status

demo: $(STAMP)
	$(BIN)/scorecard demo

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/metrics.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/published_import.py
	$(BIN)/python -m pip install --quiet reportlab   # the PDF pack before WeasyPrint, measured beside it
	$(BIN)/python bench/pdf.py

clean:
	rm -rf $(VENV) data/scorecard.db* data/demo build *.egg-info test-output
