"""The journeykg ontology as Turtle files: a data package that ships as journeykg.ontology."""

if __name__ != "journeykg.ontology":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.ontology, not {__name__}")
