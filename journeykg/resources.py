"""Where the files that ship with journeykg live (ontology, shapes, demo data)."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

ONTOLOGY_DIR = _PACKAGE / "ontology"
SHAPES_DIR = _PACKAGE / "shapes"
DEMO_DATASET = _PACKAGE / "demo" / "poldertelecom.ttl"


def ontology_files() -> list[Path]:
    """All Turtle files of the ontology, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    """All Turtle files of the SHACL shapes, in a stable order."""
    return sorted(SHAPES_DIR.glob("*.ttl"))
