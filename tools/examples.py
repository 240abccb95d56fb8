"""Writes docs/examples/: diagrams of the demo and its board pack (``make examples``).

    python tools/examples.py [FOLDER]

The demo organisation in memory, with the two scenarios the README saves;
the credit check's impact as SVG, DOT and mermaid (nl), the CRM system's
(clustered: it reaches 276 elements), the lifecycle picture (en), and the
board pack in English with both. tests/test_examples.py writes them again
into a temporary folder and demands the same text, so they stay true.
"""

from __future__ import annotations

import sys
from pathlib import Path

from journeykg.graph.audit_context import audit_context
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.impact import impact
from journeykg.graph.scenario import parse_changes
from journeykg.services.board_pack.writing import write_board_pack
from journeykg.services.demo import prepare
from journeykg.services.diagrams.drawing import draw_impact, draw_lifecycle
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.services.scenarios import save

BASE = "https://id.journeykg.example/"
FOLDER = Path(__file__).parents[1] / "docs" / "examples"
SUFFIX = {DiagramFormat.MERMAID: "mmd"}

#: The README's two scenarios ("What if?").
SCENARIOS = {
    "Kredietcheck uitfaseren": [{"op": "retire", "element": "process/kredietcheck"}],
    "Betalingsregeling naar debiteurenbeheer": [
        {
            "op": "moveTouchpoints",
            "fromProcess": "process/betalingsregeling",
            "toProcess": "process/debiteurenbeheer",
        }
    ],
}


def write_examples(folder: Path) -> list[Path]:
    """Write every example into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(None, BASE)
    prepare(store, None)
    with audit_context(actor="examples", role=None, action="examples:scenarios"):
        for name, changes in SCENARIOS.items():
            save(store, name, parse_changes(changes))
    written: list[Path] = []
    credit_check = impact(store, "process/kredietcheck")
    # Not the PNG: 1.8 MB of credit check; the lifecycle picture shows what a PNG looks like.
    for fmt in (DiagramFormat.SVG, DiagramFormat.DOT, DiagramFormat.MERMAID):
        target = folder / f"impact-kredietcheck.{SUFFIX.get(fmt, fmt.value)}"
        target.write_bytes(draw_impact(store, credit_check, fmt, "nl").content)
        written.append(target)
    crm = folder / "impact-crm-clustered.svg"
    crm.write_bytes(draw_impact(store, impact(store, "system/crm"), DiagramFormat.SVG, "en").content)
    for fmt in (DiagramFormat.SVG, DiagramFormat.PNG):
        target = folder / f"lifecycle.{fmt.value}"
        target.write_bytes(draw_lifecycle(store, fmt, "en").content)
        written.append(target)
    pack = write_board_pack(
        store,
        folder,
        "en",
        impact_of="process/kredietcheck",
        scenarios=("scenario/kredietcheck-uitfaseren", "scenario/betalingsregeling-naar-debiteurenbeheer"),
    )
    return [*written, crm, pack.html, pack.pdf]


if __name__ == "__main__":
    for path in write_examples(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(path)
