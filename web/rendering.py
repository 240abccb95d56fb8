"""Jinja2 templates of the workspace (web/templates/), escaped, loaded from the package."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


class Renderer:
    """Renders a template of web/templates/ into an HTML response."""

    def __init__(self) -> None:
        self.environment = Environment(
            loader=PackageLoader("journeykg.web", "templates"),
            autoescape=select_autoescape(["html"]),
            # A name a template uses but no page passes is an error, not an empty string.
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def __call__(self, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
        """``template`` rendered with ``values``, answered with ``status``."""
        html = self.environment.get_template(template).render(**values)
        return HTMLResponse(html, status_code=status)
