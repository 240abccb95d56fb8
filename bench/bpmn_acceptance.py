"""Acceptance rate of the BPMN source on the regression corpus (tests/loaders/bpmn_corpus.py).

    python -m bench.bpmn_acceptance [--cases]

Each model of the corpus (the MIWG reference shapes as eight modelling tools
write them) is synced, with its own recipe, into a fresh embedded store. The
figure is how many models were accepted whole, partly (some records
refused), refused (nothing written) or reported empty, and how many came out
as the corpus expects. ``--cases`` prints every model's outcome and why.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from journeykg.graph.embedded import EmbeddedStore
from tests.conftest import BASE
from tests.loaders.bpmn_corpus import Observed, corpus, run_case


def main() -> None:
    """Run the corpus and print the acceptance rate."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", action="store_true", help="print every model's outcome")
    args = parser.parse_args()
    cases = corpus()
    outcomes: Counter[str] = Counter()
    as_expected = 0
    empty_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        for number, case in enumerate(cases):
            store = EmbeddedStore(Path(tmp) / f"store-{number}", BASE)
            try:
                seen: Observed = run_case(case, store, Path(tmp) / f"case-{number}")
            finally:
                store.close()
            outcomes[seen.outcome] += 1
            if seen.outcome == "accepted" and seen.written == 0:
                empty_ok += 1
            as_expected += seen.expected() == case.expected
            if args.cases:
                mark = "ok " if seen.expected() == case.expected else "XX "
                print(
                    f"{mark}{case.name:32} {seen.outcome:9} processes={seen.processes} "
                    f"roles={seen.roles} {seen.message[:160]}"
                )
    total = len(cases)
    print(f"BPMN corpus: {total} models")
    for outcome in ("accepted", "partly", "refused", "empty"):
        share = 100 * outcomes[outcome] / total
        print(f"  {outcome:9} {outcomes[outcome]:3}  ({share:.1f} %)")
    print(f"  of the accepted, with nothing written ('ok' with 0 records): {empty_ok}")
    print(f"  outcome as the corpus expects: {as_expected} of {total}")


if __name__ == "__main__":
    main()
