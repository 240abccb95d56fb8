"""The SHACL shapes as Turtle files: a data package, so that they ship as journeykg.shapes."""

if __name__ != "journeykg.shapes":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.shapes, not {__name__}")
