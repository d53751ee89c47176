"""The JSON response every route and error handler answers with.

A request may carry text that is not Unicode: JSON's ``"\\ud800"`` escape reads as a lone
surrogate, and the answer echoes the query (its keys, property names and values). UTF-8
cannot encode that, and the whole batch would fail with a 500. Such an answer is written with
ASCII escapes instead, so the text goes back exactly as it came; every other answer is
written as FastAPI writes it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class SafeJSONResponse(JSONResponse):
    """FastAPI's JSON response, falling back to ASCII escapes for text UTF-8 cannot encode."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return text.encode("ascii")
