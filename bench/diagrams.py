"""Diagrams and the board pack: how long drawing takes, against the plain JSON answer.

    python -m bench.diagrams [--nodes 100000] [--repeats 3] [--no-synthetic]

On the demo (embedded, in memory) it times, for the credit check: the JSON
answer of the README's impact question through GraphQL (the baseline: what a
client pays today), the same answer drawn as DOT and as SVG through GraphQL's
``impact { diagram }``, and the board pack (HTML, then PDF) with that answer.
On a synthetic organisation of ``--nodes`` elements (bench/synthetic.py, the
embedded store) it picks the largest of the first five hubs and times the
same three: the JSON answer's first page of 500 elements with everything
else (blast radius, owners) as the README asks, and the clustered diagram.
Bounded: ``--repeats`` runs of each, one organisation; prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.impact_latency import load_or_reuse
from bench.stores import open_embedded
from bench.synthetic import BASE, generate
from journeykg.api.queries import query
from journeykg.cli.ask import ask_graphql
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.services.board_pack.contents import assemble
from journeykg.services.board_pack.document import board_pack_html, board_pack_pdf
from journeykg.services.demo import prepare

DIAGRAM = (
    "query($of: ID!, $format: DiagramFormat!) { impact(of: $of) {"
    " diagram(format: $format) { clustered nodeCount edgeCount content } } }"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median and best wall time of ``repeats`` runs of ``fn``, in ms (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(runs), 1), "best_ms": round(min(runs), 1)}


def question(store: Store, of: str, repeats: int) -> dict[str, Any]:
    """The JSON answer (baseline) and the DOT and SVG diagrams of ``of``."""
    drawn = ask_graphql(store, DIAGRAM, {"of": of, "format": "SVG"})["impact"]["diagram"]
    return {
        "elements": 1 + len(impact(store, of).affected),
        "clustered": drawn["clustered"],
        "nodes_drawn": drawn["nodeCount"],
        "edges_drawn": drawn["edgeCount"],
        "svg_bytes": len(drawn["content"]),
        "json_answer_baseline": timed(
            lambda: ask_graphql(store, query("impact"), {"of": of}), repeats
        ),
        "diagram_dot": timed(
            lambda: ask_graphql(store, DIAGRAM, {"of": of, "format": "DOT"}), repeats
        ),
        "diagram_svg": timed(
            lambda: ask_graphql(store, DIAGRAM, {"of": of, "format": "SVG"}), repeats
        ),
    }


def pack(store: Store, of: str, repeats: int) -> dict[str, Any]:
    """The board pack with ``of``'s impact: assembled and rendered as HTML, then as PDF."""
    html = board_pack_html(assemble(store, "en", impact_of=of))
    return {
        "html_bytes": len(html),
        "pdf_bytes": len(board_pack_pdf(html)),
        "html": timed(lambda: board_pack_html(assemble(store, "en", impact_of=of)), repeats),
        "pdf_from_html": timed(lambda: board_pack_pdf(html), repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {}

    log("demo: loading")
    demo = EmbeddedStore(None, BASE)
    prepare(demo, None)
    result["demo"] = {
        "question": "process/kredietcheck",
        **question(demo, "process/kredietcheck", args.repeats),
        "board_pack": pack(demo, "process/kredietcheck", args.repeats),
    }
    log(json.dumps(result["demo"]))

    if not args.no_synthetic:
        log(f"{args.nodes}: generating")
        org = generate(args.nodes)
        with tempfile.TemporaryDirectory() as tmp:
            store = open_embedded(Path(tmp) / "org")
            log(f"{args.nodes}: loading {len(org.graph)} triples")
            load_s = load_or_reuse(store, org.graph, False)
            sizes = {hub: len(impact(store, hub).affected) for hub in org.hubs[:5]}
            hub = max(sizes, key=lambda h: sizes[h])
            log(f"{args.nodes}: largest hub {hub} reaches {sizes[hub]}")
            result["synthetic"] = {
                "nodes": org.nodes,
                "triples": len(org.graph),
                "load_s": load_s,
                "hub": hub,
                **question(store, hub, args.repeats),
            }
            store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
