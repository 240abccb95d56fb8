"""Reading RDF files (Turtle, N-Triples, JSON-LD, RDF/XML, TriG) into a delta graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.util import guess_format

from journeykg.validation.problems import ParseError, Problem

_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def read_rdf(
    path: Path, rdf_format: str | None = None, *, allow_blank_nodes: bool = False
) -> Graph:
    """Parse ``path``; raise :class:`ParseError` naming the file and line if it does not parse.

    Blank-node subjects are refused unless ``allow_blank_nodes``: a loader that
    folds them into IRIs or literals itself (the glossary import) may take them.
    """
    fmt = rdf_format or guess_format(str(path)) or "turtle"
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except FileNotFoundError:
        raise ParseError(
            f"cannot read {path}", [Problem(str(path), "file exists", "no such file")]
        ) from None
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"{path} is not valid JSON-LD",
            [Problem(str(path), "JSON syntax", exc.msg, line=exc.lineno)],
        ) from exc
    except Exception as exc:  # rdflib's parsers raise many unrelated exception types
        raise ParseError(
            f"{path} does not parse as {fmt}",
            [Problem(str(path), f"{fmt} syntax", _first_line(exc), line=_line_of(exc))],
        ) from exc
    if not allow_blank_nodes:
        refuse_blank_subjects(path, graph)
    return graph


def refuse_blank_subjects(path: Path, graph: Graph) -> None:
    """Raise :class:`ParseError` if ``graph`` has a blank-node subject: an element needs an IRI."""
    blank_subjects = sorted({str(s) for s in graph.subjects() if isinstance(s, BNode)})
    if blank_subjects:
        raise ParseError(
            f"{path} has blank nodes",
            [
                Problem(
                    str(path),
                    "every element has an IRI",
                    "a blank node cannot be kept in step across loads and stores; give it an IRI",
                    node=f"_:{blank_subjects[0]}",
                )
            ],
        )


def _line_of(exc: BaseException) -> int | None:
    match = _LINE.search(str(exc))
    return int(match.group(1)) if match else None


def _first_line(exc: BaseException) -> str:
    why = getattr(exc, "_why", None)
    if isinstance(why, str):
        return why
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
