"""What a request to Dash's `/_dash-update-component` must look like before Dash reads it.

Dash trusts the body its renderer sends: anything else (an array, wrong types, inputs the
callback does not declare, JSON nested beyond Python's recursion limit, an object where
the renderer sends a number of clicks) raised deep inside Dash or the page and was
answered with HTTP 500, its traceback logged. The gate checks the envelope and the types
of the properties the pages read here, and answers 400 with a sentence; what the values
mean is each callback's to check.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOT_A_CALLBACK = "A callback request must be a JSON object naming its output."
NOT_THIS_PAGE = "The callback request does not match the page's callbacks: reload the page and try again."
NO_SUCH_CALLBACK = "There is no such callback."


def callback_problem(body: Any, callback_map: Mapping[str, dict]) -> str | None:
    """Why `body` is not a request Dash's renderer would send for one of `callback_map`'s
    callbacks, or None when it is one."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return NOT_A_CALLBACK
    callback = callback_map.get(body["output"])
    if callback is None or "callback" not in callback:  # clientside callbacks run in the browser
        return NO_SUCH_CALLBACK
    sent_outputs = body.get("outputs", [])
    if not callback.get("no_output") and not _outputs_match(sent_outputs, body["output"]):
        return NOT_THIS_PAGE
    for key in ("inputs", "state"):
        if not _props_match(body.get(key, []), callback.get(key, [])):
            return NOT_THIS_PAGE
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop, str) for prop in changed):
        return NOT_THIS_PAGE
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text_or_texts(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _scalar_or_scalars(value: Any) -> bool:
    scalar = (str, int, float, bool)
    return isinstance(value, scalar) or (isinstance(value, list) and all(isinstance(v, scalar) for v in value))


# The values the renderer sends for the properties the pages' callbacks read, by name
# (None, a property not set yet, is always allowed). Anything else for them was made by
# hand, and would fail inside the callback; other properties (a Store's data) may hold
# any JSON.
VALUE_TYPES = {
    "n_clicks": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "n_submit": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "pathname": lambda v: isinstance(v, str) and v.startswith("/"), "search": lambda v: isinstance(v, str),
    "hash": lambda v: isinstance(v, str), "href": lambda v: isinstance(v, str),
    "contents": _text_or_texts, "filename": _text_or_texts,
    "last_modified": lambda v: _number(v) or (isinstance(v, list) and all(_number(x) for x in v)),
    "value": _scalar_or_scalars, "date": lambda v: isinstance(v, str),
}


def _value_fits(item: dict) -> bool:
    check = VALUE_TYPES.get(item["property"])
    if "value" not in item or check is None:
        return True
    # The location's pathname is always sent, and Dash's pages need one to find the page.
    return check(item["value"]) if item["property"] == "pathname" or item["value"] is not None else True


def _is_prop(item: Any) -> bool:
    """{"id": ..., "property": ...}: a string id, or a pattern-matching one (an object)."""
    return isinstance(item, dict) and isinstance(item.get("id"), (str, dict)) and \
        isinstance(item.get("property"), str)


def _one_or_pattern(item: Any) -> bool:
    """One component's property, or a pattern's list of them (ALL, ALLSMALLER)."""
    return _is_prop(item) or (isinstance(item, list) and all(_is_prop(each) for each in item))


def _props_match(sent: Any, declared: list[dict]) -> bool:
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for item, spec in zip(sent, declared, strict=True):
        if not _one_or_pattern(item) or not all(map(_value_fits, item if isinstance(item, list) else [item])):
            return False
        if not spec["id"].startswith("{") and (not _is_prop(item) or (item["id"], item["property"]) !=
                                               (spec["id"], spec["property"])):
            return False
    return True


def _outputs_match(sent: Any, output: str) -> bool:
    """The outputs the renderer lists against the callback's key: "id.property", or
    "..a.x...b.y.." for several, each perhaps with "@hash" (allow_duplicate)."""
    several = output.startswith("..")
    parts = output[2:-2].split("...") if several else [output]
    sent = sent if several else [sent]
    if not isinstance(sent, list) or len(sent) != len(parts):
        return False
    for item, part in zip(sent, parts, strict=True):
        if not _one_or_pattern(item):
            return False
        # The renderer names an allow_duplicate output with its "@hash" too, as Dash's own
        # dispatch expects (dash._utils.clean_property_name).
        named = f"{item['id']}.{item['property'].split('@', 1)[0]}" if _is_prop(item) else None
        if named is not None and isinstance(item["id"], str) and named != part.split("@", 1)[0]:
            return False
    return True
