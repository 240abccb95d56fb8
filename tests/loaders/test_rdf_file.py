"""Reading RDF in its formats, and saying where it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.loaders.rdf_file import read_rdf
from journeykg.validation.problems import ParseError
from tests.conftest import FIXTURES


def test_turtle_syntax_error_names_file_and_line() -> None:
    with pytest.raises(ParseError) as raised:
        read_rdf(FIXTURES / "broken_syntax.ttl")
    (problem,) = raised.value.problems
    assert problem.line == 3
    assert "string" in problem.message


def test_ntriples_error_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    path.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n")
    with pytest.raises(ParseError, match="does not parse as nt"):
        read_rdf(path)


def test_jsonld_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonld"
    path.write_text('{\n  "@id": "http://a",\n  "http://b": \n}\n')
    with pytest.raises(ParseError) as raised:
        read_rdf(path)
    assert raised.value.problems[0].line == 4


def test_jsonld_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonld"
    path.write_text(
        '{"@id": "http://example.org/a", "http://www.w3.org/2000/01/rdf-schema#label": "a"}'
    )
    assert len(read_rdf(path)) == 1
