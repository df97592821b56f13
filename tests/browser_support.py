"""Helpers for web tests: a real Chromium page (screenshots, axe-core, waiting for Dash)
and Dash callbacks driven through the Flask test client.

    from browser_support import assert_accessible, call_callback, screenshot, wait_for_dash

The fixtures that provide `page`, `browser`, `live_server`, `demo_client` and
`demo_app` live in conftest.py. Nothing here imports Playwright at module level, so the
test-client helpers work without a browser installed.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = PROJECT_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core tags).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def missing_component(reason: str) -> None:
    """A test needs something that is not installed: fail in CI, skip (with the reason) elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run every test)", pytrace=False)
    pytest.skip(reason)


def safe_name(name: str) -> str:
    """A test or screenshot name usable as a file name (parametrised ids contain [, / and spaces)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "page"


# --- signing in -----------------------------------------------------------------------------

def csrf_header(client) -> dict:
    """The header Dash's renderer sends: the `_csrf_token` cookie as X-CSRFToken."""
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value} if cookie is not None else {}


def form_token(html_text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html_text)
    assert found, "the page has no CSRF token field"
    return found.group(1)


def sign_in(client, username: str, password: str, expect_status: int = 302):
    """Sign a Flask test client in through the sign-in form; the response."""
    token = form_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == expect_status, (response.status_code, response.get_data(as_text=True)[:500])
    if expect_status == 302:
        client.get("/_dash-layout")  # sets the CSRF cookie the callbacks send back
    return response


def sign_in_browser(context, username: str, password: str) -> None:
    """Sign a Playwright browser context in (its requests share the context's cookies)."""
    token = form_token(context.request.get("/login").text())
    response = context.request.post("/login", form={"username": username, "password": password,
                                                    "csrf_token": token}, max_redirects=0)
    assert response.status == 302, (response.status, response.text()[:500])


# --- the browser --------------------------------------------------------------------------

def screenshot(page, name: str) -> Path:
    """Save a full-page PNG of `page` to test-output/screenshots/<name>.png and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# True once the Dash renderer has its layout and no callback is pending or running. Dash 4's
# renderer no longer marks components with data-dash-is-loading (only a few dcc components
# still do); it keeps its state in a Redux store exposed as window.dash_stores (and
# window.store), and shows div._dash-loading until the layout arrives and
# div._dash-loading-callback while any callback is in flight. The DOM checks alone are the
# fallback if a future renderer stops exposing the store.
_DASH_IDLE_JS = """
() => {
  const root = document.getElementById('react-entry-point');
  if (!root) return true;  // not a Dash page
  if (document.querySelector('._dash-loading, ._dash-loading-callback, [data-dash-is-loading="true"]')) {
    window.__dashIdleStreak = 0;
    return false;
  }
  const stores = (window.dash_stores && window.dash_stores.length) ? window.dash_stores
               : (window.store ? [window.store] : []);
  for (const store of stores) {
    const state = store.getState();
    if (state.appLifecycle !== undefined && state.appLifecycle !== 'HYDRATED') { window.__dashIdleStreak = 0; return false; }
    if (state.isLoading) { window.__dashIdleStreak = 0; return false; }
    const callbacks = state.callbacks || {};
    for (const [key, value] of Object.entries(callbacks)) {
      if (key !== 'stored' && key !== 'completed' && Array.isArray(value) && value.length) {
        window.__dashIdleStreak = 0;
        return false;
      }
    }
  }
  if (!stores.length && !root.children.length) return false;
  // Idle on several consecutive animation frames: a callback's outputs can trigger the
  // next callback one tick later.
  window.__dashIdleStreak = (window.__dashIdleStreak || 0) + 1;
  return window.__dashIdleStreak >= 3;
}
"""


def wait_for_dash(page, timeout: float | None = None) -> None:
    """Wait until the page has loaded, Dash has rendered its layout and every callback
    (including the ones their outputs trigger) has finished. `timeout` in ms; default is
    Playwright's (a guard against hanging, not a speed requirement)."""
    kwargs = {} if timeout is None else {"timeout": timeout}
    page.wait_for_load_state("load", **kwargs)
    page.wait_for_load_state("networkidle", **kwargs)
    page.evaluate("window.__dashIdleStreak = 0")
    page.wait_for_function(_DASH_IDLE_JS, polling="raf", **kwargs)


def watch_errors(page) -> list[str]:
    """Start recording what goes wrong in `page`: console errors, uncaught exceptions and
    HTTP responses of 500 or more. Returns the (live) list they are appended to."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.request.method} {r.url}") if r.status >= 500 else None)
    return errors


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as exc:
        missing_component(f"axe-playwright-python is not installed ({exc}): pip install -e '.[test]'")
    return Axe()


def axe_violations(page, context: str | dict | list | None = None, tags: tuple[str, ...] | list[str] = WCAG_TAGS,
                   disable: tuple[str, ...] | list[str] = ()) -> list[dict]:
    """Run axe-core on the page as it is now (optionally only within `context`, a CSS
    selector or axe context object) with the WCAG 2.0/2.1/2.2 A and AA rules, and return its
    violations: dicts with id, impact, help, helpUrl and nodes (each with target and html).
    `disable` turns individual rules off (say why in the test)."""
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    axe = _axe()
    if context is None:
        return list(axe.run(page, options=options).response["violations"])
    # The library formats `context` with Python's repr; pass it through JSON instead.
    page.evaluate(axe.axe_script)
    response = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    return list(response["violations"])


def format_violations(violations: list[dict], nodes_shown: int = 3) -> str:
    """A readable report: rule, impact, help and the first few offending elements."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'no impact given'}): {v.get('help', '')}"
                     f" [{len(v.get('nodes', []))} element(s)] {v.get('helpUrl', '')}")
        for node in v.get("nodes", [])[:nodes_shown]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node.get("target", []))
            snippet = " ".join((node.get("html") or "").split())
            if len(snippet) > 200:
                snippet = snippet[:200] + "..."
            lines.append(f"    at {target}: {snippet}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"       {summary[:300]}")
        if len(v.get("nodes", [])) > nodes_shown:
            lines.append(f"    ... and {len(v['nodes']) - nodes_shown} more")
    return "\n".join(lines)


def assert_accessible(page, where: str, **axe_options) -> None:
    """Fail with a readable report if axe-core finds any WCAG 2.2 A/AA violation on the page.
    `where` names the page or state in the message; `axe_options` go to axe_violations."""
    violations = axe_violations(page, **axe_options)
    if violations:
        pytest.fail(f"{len(violations)} accessibility rule(s) violated on {where} ({page.url}):\n"
                    + format_violations(violations), pytrace=False)


# --- Dash through the Flask test client ------------------------------------------------------

def dash_layout_json(client) -> dict:
    """The app's layout as the renderer receives it from /_dash-layout."""
    response = client.get("/_dash-layout")
    assert response.status_code == 200, response.data[:500]
    return response.get_json()


def dash_dependencies(client) -> list[dict]:
    """Every callback the renderer knows about, from /_dash-dependencies."""
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200, response.data[:500]
    return response.get_json()


def _split_outputs(output: str) -> list[dict]:
    """"id.prop" or "..id1.prop1...id2.prop2.." -> [{"id", "property"}, ...]."""
    parts = output[2:-2].split("...") if output.startswith("..") and output.endswith("..") else [output]
    outputs = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        outputs.append({"id": component, "property": prop.split("@")[0]})  # @hash: allow_duplicate
    return outputs


def _prop_ids(items: list[dict]) -> list[str]:
    return [f"{i['id']}.{i['property']}" for i in items]


def find_dependency(client, output: str | dict) -> dict:
    """The callback whose output string in /_dash-dependencies is `output`, or that has
    `output` ("component_id.property") among its outputs. A dependency dict is returned as is."""
    if isinstance(output, dict):
        return output
    deps = dash_dependencies(client)
    exact = [d for d in deps if d["output"] == output]
    if exact:
        return exact[0]
    matching = [d for d in deps if output in _prop_ids(_split_outputs(d["output"]))]
    if len(matching) == 1:
        return matching[0]
    known = "\n  ".join(d["output"] for d in deps)
    if matching:
        raise LookupError(f"{len(matching)} callbacks write {output!r}; pass the full output string:\n  {known}")
    raise LookupError(f"no callback writes {output!r}; the app's callbacks:\n  {known}")


def _values(given, expected: list[dict], what: str) -> tuple[list[dict], list[str]]:
    """The request's inputs or state, and the prop ids the caller supplied."""
    ids = _prop_ids(expected)
    if given is None:
        given = {}
    if isinstance(given, dict):
        unknown = set(given) - set(ids)
        if unknown:
            raise KeyError(f"not {what} of this callback: {sorted(unknown)}; its {what}: {ids}")
        items = [dict(e, value=given.get(pid)) for e, pid in zip(expected, ids)]
        return items, [pid for pid in ids if pid in given]
    given = list(given)
    if len(given) != len(expected):
        raise ValueError(f"{len(given)} {what} values given; the callback has {len(expected)}: {ids}")
    items = [dict(e, value=g["value"] if isinstance(g, dict) and "property" in g else g)
             for e, g in zip(expected, given)]
    return items, ids


def call_callback(client, output: str | dict, inputs: dict | list | None = None, state: dict | list | None = None,
                  changed: list[str] | None = None, expect_status: int | None = None) -> dict:
    """Call a server-side callback the way the Dash renderer does and return the parsed
    `response` ({component_id: {property: value}}); {} when the callback prevented the update.

    output: the output string as listed in /_dash-dependencies ("id.prop" or
      "..id1.prop1...id2.prop2.."), any one "id.prop" of its outputs, or a dependency dict.
    inputs, state: {"id.prop": value} (missing ones are sent as None) or values in the
      callback's order.
    changed: the prop ids that triggered the call (default: the inputs given by name, or all).
    Fails with the server's answer if the status is not 200/204 (or not `expect_status`).
    """
    dep = find_dependency(client, output)
    if dep.get("clientside_function"):
        raise ValueError(f"{dep['output']} is a clientside callback: only the browser can run it")
    input_items, given_ids = _values(inputs, dep["inputs"], "inputs")
    state_items, _ = _values(state, dep.get("state", []), "state")
    outputs = _split_outputs(dep["output"])
    body = {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": input_items,
        "state": state_items,
        "changedPropIds": list(changed) if changed is not None else given_ids,
    }
    response = client.post("/_dash-update-component", json=body, headers=csrf_header(client))
    if expect_status is not None:
        assert response.status_code == expect_status, (response.status_code, response.data[:2000])
    else:
        assert response.status_code in (200, 204), (
            f"callback {dep['output']} answered HTTP {response.status_code}:\n"
            f"{response.data[:2000].decode('utf-8', 'replace')}")
    if response.status_code == 204 or not response.data:
        return {}
    return response.get_json().get("response", {})
