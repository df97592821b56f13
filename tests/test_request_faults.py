"""Hostile bodies sent to Dash's callback endpoint by a signed-in user: each answered 400
(or 413 over the size limit) with a sentence, and no part of any body in the log."""
from __future__ import annotations

import json
import logging
import sys

import pytest
from browser_support import csrf_header, find_dependency

MARK = "QZX-BODY-MARK"
"""Put in every hostile body: it must never reach a log record."""
CALLBACK = "briefing-nav.search"  # a viewer's callback: one input (a button), two states


def _valid() -> dict:
    return {"output": CALLBACK, "outputs": {"id": "briefing-nav", "property": "search"},
            "inputs": [{"id": "briefing-form-show", "property": "n_clicks", "value": 1}],
            "state": [{"id": "briefing-period", "property": "value", "value": "2025-03"},
                      {"id": "briefing-since", "property": "value", "value": None}],
            "changedPropIds": ["briefing-form-show.n_clicks"]}


def _with(**changes) -> bytes:
    return json.dumps({**_valid(), **changes}).encode()


NOT_A_CALLBACK = "A callback request must be a JSON object naming its output."
NOT_THIS_PAGE = "does not match the page's callbacks"
HOSTILE = {
    "an empty object": (b"{}", NOT_A_CALLBACK),
    "an array": (b"[]", NOT_A_CALLBACK),
    "null": (b"null", NOT_A_CALLBACK),
    "a string": (json.dumps(MARK).encode(), NOT_A_CALLBACK),
    "the output a number": (_with(output=5), NOT_A_CALLBACK),
    "no such output": (_with(output=MARK), "There is no such callback."),
    "a clientside callback": (_with(output="_pages_dummy.children"), "There is no such callback."),
    "inputs a string": (_with(inputs=MARK), NOT_THIS_PAGE),
    "inputs of the wrong types": (_with(inputs=[MARK, 5]), NOT_THIS_PAGE),
    "an input without its id": (_with(inputs=[{"property": "n_clicks", "value": MARK}]), NOT_THIS_PAGE),
    "another callback's input": (_with(inputs=[{"id": MARK, "property": "n_clicks", "value": 1}]), NOT_THIS_PAGE),
    "too few states": (_with(state=[]), NOT_THIS_PAGE),
    "states of the wrong types": (_with(state=[MARK, {"x": MARK}]), NOT_THIS_PAGE),
    "another callback's outputs": (_with(outputs={"id": MARK, "property": "children"}), NOT_THIS_PAGE),
    "outputs a string": (_with(outputs=MARK), NOT_THIS_PAGE),
    "changed ids of the wrong type": (_with(changedPropIds=[{"x": MARK}]), NOT_THIS_PAGE),
    "clicks as an object": (_with(inputs=[{"id": "briefing-form-show", "property": "n_clicks", "value": {"x": MARK}}]),
                            NOT_THIS_PAGE),
    "a value as an object": (_with(state=[{"id": "briefing-period", "property": "value", "value": {"x": MARK}},
                                          {"id": "briefing-since", "property": "value", "value": None}]),
                             NOT_THIS_PAGE),
    "100,000 nested lists": (b"[" * 100_000 + b"]" * 100_000, "must not nest its JSON that deeply"),
    "nesting inside the inputs": (b'{"output": "briefing-nav.search", "inputs": ' + b"[" * 100_000 + b"]" * 100_000
                                  + b"}", "must not nest its JSON that deeply"),
    "bytes that are not JSON": (b"\xff\xfe" + MARK.encode() + b"\x00\x01", NOT_A_CALLBACK),
    "JSON cut short": (_with(state=MARK)[:-20], NOT_A_CALLBACK),
    "20 MB under the size limit": (b'{"output": "' + MARK.encode() + b'", "x": "' + b"A" * (20 * 2**20) + b'"}',
                                   "There is no such callback."),
}


@pytest.fixture
def every_log(caplog, capfd):
    """Every log record and everything written to stderr while the test runs."""
    caplog.set_level(logging.DEBUG)

    def text() -> str:
        records = "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in caplog.records)
        return records + capfd.readouterr().err
    return text


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_callback_body_is_answered_400_in_words_and_not_logged(name, demo_client, every_log):
    body, says = HOSTILE[name]
    response = demo_client.post("/_dash-update-component", data=body,
                                headers={**csrf_header(demo_client), "Content-Type": "application/json"})
    assert response.status_code == 400, response.data[:300]
    assert says in response.get_json()["message"]
    logged = every_log()
    assert MARK not in logged and "AAAAAAAAAAAAAAAA" not in logged


def test_the_callback_that_was_spoiled_above_answers_when_it_is_whole(demo_client):
    response = demo_client.post("/_dash-update-component", json=_valid(), headers=csrf_header(demo_client))
    assert response.status_code == 200, response.data[:300]


def test_a_body_over_the_size_limit_is_answered_413_in_words_and_not_read(demo_app, demo_client, every_log,
                                                                          monkeypatch):
    monkeypatch.setitem(demo_app.server.config, "MAX_CONTENT_LENGTH", 2**20)
    body = b'{"output": "' + MARK.encode() + b'", "x": "' + b"A" * (20 * 2**20) + b'"}'
    response = demo_client.post("/_dash-update-component", data=body,
                                headers={**csrf_header(demo_client), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["message"] == ("The request was larger than this site accepts (1 MB); nothing was "
                                              "read from it.")
    assert MARK not in every_log()


def test_every_callback_refuses_objects_for_its_typed_properties_and_never_answers_500(demo_app, client_as):
    """Each server-side callback of the app, called as an administrator (who may call them
    all) with an object for every input and state: the ones whose properties have a type
    the renderer always sends are refused with 400; none fails with 500."""
    client = client_as("admin")
    answers = {}
    for output in list(demo_app.callback_map):
        dependency = find_dependency(client, output)
        if dependency.get("clientside_function"):
            continue

        def spoiled(specs):
            return [{"id": json.loads(s["id"]) if s["id"].startswith("{") else s["id"], "property": s["property"],
                     "value": {"x": MARK}} for s in specs]
        several = output.startswith("..")
        parts = output[2:-2].split("...") if several else [output]
        outputs = [dict(zip(("id", "property"), part.split("@", 1)[0].rsplit(".", 1), strict=True)) for part in parts]
        body = {"output": output, "outputs": outputs if several else outputs[0],
                "inputs": spoiled(dependency["inputs"]), "state": spoiled(dependency.get("state", [])),
                "changedPropIds": [f"{s['id']}.{s['property']}" for s in dependency["inputs"][:1]]}
        answers[output] = client.post("/_dash-update-component", json=body, headers=csrf_header(client)).status_code
    assert answers and all(status < 500 for status in answers.values()), answers
    assert sum(status == 400 for status in answers.values()) >= len(answers) // 2, answers


def test_an_allow_duplicate_output_named_as_the_renderer_names_it_passes_the_gate(demo_app, client_as):
    """The renderer sends an allow_duplicate output's property with its "@hash" (the upload
    page's load button is one): the gate must take it as Dash does, not answer 400."""
    client = client_as("admin")   # who may call every callback
    output = next(o for o in demo_app.callback_map if "@" in o and o.startswith(".."))
    dependency = find_dependency(client, output)
    parts = output[2:-2].split("...")
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]
    assert any("@" in o["property"] for o in outputs)
    body = {"output": output, "outputs": outputs,
            "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in dependency["inputs"]],
            "state": [{"id": i["id"], "property": i["property"], "value": None} for i in dependency.get("state", [])],
            "changedPropIds": []}
    answer = client.post("/_dash-update-component", json=body, headers=csrf_header(client))
    assert answer.status_code in (200, 204), (output, answer.status_code, answer.get_data(as_text=True)[:300])


def test_a_failing_request_with_a_body_is_logged_without_the_exceptions_messages(demo_app, caplog):
    caplog.set_level(logging.ERROR)
    server = demo_app.server
    with server.test_request_context("/_dash-update-component", method="POST", data=json.dumps({"x": MARK})):
        try:
            try:
                raise KeyError(MARK)
            except KeyError as inner:
                raise ValueError(f"a callback quoted {MARK}") from inner
        except ValueError:
            server.log_exception(sys.exc_info())
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "Exception on /_dash-update-component [POST]" in logged
    assert "builtins.ValueError (its message is not logged)" in logged
    assert "builtins.KeyError (its message is not logged)" in logged and "test_request_faults.py" in logged
    assert MARK not in logged

    caplog.clear()
    with server.test_request_context("/indicator/x", method="GET"):  # no body: Flask's own log, message and all
        try:
            raise ValueError("a page failed")
        except ValueError:
            server.log_exception(sys.exc_info())
    assert "a page failed" in caplog.text
