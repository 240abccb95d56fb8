"""The JSON of a GraphQL request, read so that any body a client sends gets a clear 400.

strawberry reads a body with ``json.loads`` and expects an object (or a
list, for batches); anything else used to surface as an unexpected error
(500): a body that is valid JSON but not an object (``null``, ``1``,
``"x"``, ``true``), bytes that are not UTF-8, and JSON nested deeper than
Python's recursion limit (``json.loads`` raises RecursionError at ~1,000
levels).
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException

_KINDS = {
    type(None): "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
}


def read_json(data: str | bytes, *, whole_request: bool) -> Any:
    """JSON sent by a client; an HTTP 400 saying what is wrong with it otherwise.

    ``whole_request``: it is the request itself, which must be an object (or
    a list of them); a part of one (GET's ``variables``) may be any value.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HTTPException(
                400, f"the request body is not UTF-8 text (invalid byte at offset {exc.start})"
            ) from exc
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, f"Unable to parse request body as JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise HTTPException(400, "the request's JSON is nested too deeply to be read") from exc
    if whole_request and not isinstance(value, dict | list):
        kind = _KINDS.get(type(value), type(value).__name__)
        raise HTTPException(
            400, f'the request must be a JSON object such as {{"query": "{{ ... }}"}}, not {kind}'
        )
    return value
