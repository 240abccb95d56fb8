"""Loaders: read a source, map it to triples, pass the SHACL gate, write to the store."""

from journeykg.loaders.errors import LoadError, ParseError, Problem, ValidationError
from journeykg.loaders.pipeline import LoadReport, load_file, validate_file

__all__ = [
    "LoadError",
    "LoadReport",
    "ParseError",
    "Problem",
    "ValidationError",
    "load_file",
    "validate_file",
]
