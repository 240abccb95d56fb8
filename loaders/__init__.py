"""Loaders: read a source, map it to triples, pass the SHACL gate, write to the store."""

if __name__ != "journeykg.loaders":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.loaders, not {__name__}")


from journeykg.loaders.pipeline import LoadReport, load_file, validate_file
from journeykg.validation.problems import LoadError, ParseError, Problem, ValidationError

__all__ = [
    "LoadError",
    "LoadReport",
    "ParseError",
    "Problem",
    "ValidationError",
    "load_file",
    "validate_file",
]
