"""Writing a board pack to a folder: ``board-pack.html`` and ``board-pack.pdf``, one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeykg.graph.store import Store
from journeykg.services.board_pack.contents import assemble
from journeykg.services.board_pack.document import board_pack_html, board_pack_pdf

HTML_NAME = "board-pack.html"
PDF_NAME = "board-pack.pdf"


@dataclass(frozen=True)
class WrittenPack:
    """Where the two documents went."""

    html: Path
    pdf: Path


def write_board_pack(
    store: Store,
    out_dir: Path,
    language: str = "nl",
    *,
    impact_of: str | None = None,
    scenarios: tuple[str, str] | None = None,
) -> WrittenPack:
    """Assemble the pack and write its HTML and PDF into ``out_dir`` (made if missing).

    Both documents are rendered before either is written: a refused question
    (an unknown element or scenario) leaves the folder as it was.
    """
    html = board_pack_html(assemble(store, language, impact_of=impact_of, scenarios=scenarios))
    pdf = board_pack_pdf(html)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = WrittenPack(out_dir / HTML_NAME, out_dir / PDF_NAME)
    written.html.write_text(html, encoding="utf-8")
    written.pdf.write_bytes(pdf)
    return written
