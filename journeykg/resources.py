"""Where the files that ship with journeykg live (ontology, shapes, demo data)."""

from pathlib import Path

import journeykg.ontology
import journeykg.shapes

_PACKAGE = Path(__file__).resolve().parent

# Data packages of their own: in the repository they sit at the top level
# (ontology/, shapes/), in an installed wheel under journeykg/.
ONTOLOGY_DIR = Path(journeykg.ontology.__file__).resolve().parent
SHAPES_DIR = Path(journeykg.shapes.__file__).resolve().parent
DEMO_DATASET = _PACKAGE / "demo" / "poldertelecom.ttl"
GLOSSARY_DATASET = _PACKAGE / "glossary" / "journeykg-glossary.ttl"

#: Shape files that make up the coverage report, not the write gate.
_COVERAGE_PREFIX = "coverage"


def ontology_files() -> list[Path]:
    """All Turtle files of the ontology, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    """The Turtle files of the SHACL gate: shapes/*.ttl but coverage*.ttl, in a stable order.

    The coverage shapes describe gaps in the whole graph (a stage without
    journeys); they are run on demand over everything, never on a write.
    """
    return sorted(p for p in SHAPES_DIR.glob("*.ttl") if not p.name.startswith(_COVERAGE_PREFIX))


def coverage_shape_files() -> list[Path]:
    """The Turtle files of the coverage report (shapes/coverage*.ttl)."""
    return sorted(SHAPES_DIR.glob(f"{_COVERAGE_PREFIX}*.ttl"))
