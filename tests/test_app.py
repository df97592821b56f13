"""The placeholder app serves its page through the Flask test client, with real data."""
from __future__ import annotations

import json

from click.testing import CliRunner

from builders import good_month
from scorecard.cli import main
from scorecard.loaded import loaded_summary


def test_home_page_lists_what_is_loaded(engine, database_url, tmp_path):
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, good_month(tmp_path)), "--period", "2019-09"])
    assert result.exit_code == 0, result.output
    summary = {s.dataset: s for s in loaded_summary("E10000099", engine)}
    assert summary["missing_episodes"].latest_period == "2019-09"
    assert summary["missing_episodes"].rows_in_latest == 4

    from app import app

    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    router = next(d for d in client.get("/_dash-dependencies").get_json() if "_pages_content" in d["output"])
    page = client.post("/_dash-update-component", json={
        "output": router["output"],
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"],
    })
    assert page.status_code == 200, page.data[:500]
    text = json.dumps(page.get_json())
    assert "Missing episodes" in text and "2019-09" in text and "missing.csv" in text
