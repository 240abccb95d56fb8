"""Run a benchmark on another copy of journeykg: the code before a change, in the same run.

Imported before journeykg by a benchmark that compares two versions: with
``JOURNEYKG_BENCH_CODE=DIR`` set, ``journeykg`` is imported from DIR (a
tree laid out as the package is built: ``git archive <commit>`` of the
repository, then ``build_py`` into ``DIR``, as tools/packaged.py stages it)
instead of this repository, so the benchmark's own code drives the old
product. Without it, nothing changes.
"""

from __future__ import annotations

import os
import sys

CODE = os.environ.get("JOURNEYKG_BENCH_CODE")

if CODE:
    # The repository's editable install would resolve journeykg's sub-packages here, and
    # the current directory (on sys.path first) holds a journeykg/ folder of its own.
    sys.meta_path[:] = [f for f in sys.meta_path if "_EditableFinder" not in repr(f)]
    sys.path.insert(0, CODE)
    if "journeykg" in sys.modules:
        raise RuntimeError("bench.other_code must be imported before journeykg")
