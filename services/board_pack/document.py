"""The board pack as one self-contained HTML document, and that document as PDF.

The HTML carries its style and its diagrams (inline SVG) in itself: it opens
from a file, a mail or a wiki without fetching anything. The PDF is
WeasyPrint's rendering of the same HTML, so the two cannot differ in content.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from journeykg.services.board_pack.contents import BoardPack
from journeykg.services.board_pack.words import words

#: Graphviz's SVG starts with an XML declaration, a DOCTYPE and comments: only <svg> goes inline.
_SVG_ELEMENT = re.compile(rb"<svg\b.*</svg>", re.DOTALL)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("journeykg.services.board_pack", ""),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


#: Graphviz's size attributes on the <svg> element, in points.
_SIZE = re.compile(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')
_MM_PER_PT = 25.4 / 72

#: The box a diagram is fitted into: an A4 landscape page less its margins and a heading.
FIT_MM = (265.0, 160.0)


def inline_svg(svg: bytes, fit_mm: tuple[float, float] = FIT_MM) -> Markup:
    """The ``<svg>`` element of a Graphviz SVG, scaled down to fit ``fit_mm``, to inline."""
    found = _SVG_ELEMENT.search(svg)
    if found is None:
        raise ValueError("not an SVG document: no <svg> element")
    element = found.group(0).decode()
    size = _SIZE.search(element)
    if size is not None:
        # Sized here rather than by CSS: WeasyPrint and browsers then agree, and the
        # viewBox scales the drawing (ratio kept) into the box.
        width, height = (float(v) * _MM_PER_PT for v in size.groups())
        scale = min(fit_mm[0] / width, fit_mm[1] / height, 1.0)
        element = _SIZE.sub(
            f'<svg width="{width * scale:.1f}mm" height="{height * scale:.1f}mm"', element, 1
        )
    # Graphviz wrote it and escaped every label in it: trusted markup, not user text.
    return Markup(element)


def board_pack_html(pack: BoardPack) -> str:
    """The board pack as one self-contained HTML document."""
    environment = _environment()
    labels = {j.journey.id: j.journey.label(pack.language) for j in pack.picture.journeys}
    environment.filters["journey_label"] = lambda ident: labels.get(ident, ident)
    return environment.get_template("board_pack.html").render(
        pack=pack,
        w=words(pack.language),
        lifecycle_svg=inline_svg(pack.picture_drawing.content),
        impact_svg=inline_svg(pack.impact.drawing.content) if pack.impact else "",
    )


def board_pack_pdf(html: str) -> bytes:
    """The board pack's HTML rendered as PDF by WeasyPrint (nothing is fetched: it is inline)."""
    from weasyprint import HTML  # a heavy import, needed only here

    def refuse(url: str) -> dict[str, object]:
        raise ValueError(f"the board pack fetches nothing, yet it names {url}")

    pdf: bytes = HTML(string=html, url_fetcher=refuse).write_pdf()
    return pdf
