"""The coverage report: gaps in the whole graph, from shapes/coverage.ttl.

Stages and contact reasons without journeys, journeys without an owner or a
KPI, touchpoints without a supporting process, concepts in use but not
approved, model elements without an approved definition. It is a SHACL
report (Warning and Info only) run over everything the store holds plus the
ontology, on demand: never on the write path, never blocking a write.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rich.console import Console
from rich.table import Table

from journeykg.graph.elements import refs
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, SH
from journeykg.ontology_graph import load_coverage_shapes, load_ontology
from journeykg.validation.sparql import thread_safe_sparql

#: Languages of the messages, in order of preference.
_LANGUAGES = ("en", "nl")


@dataclass(frozen=True, order=True)
class Finding:
    """One gap: which rule, how serious, which element, and why in plain words."""

    rule: str
    severity: str
    element: str
    label: str | None
    value: str | None
    message: str
    """In English, as the CLI prints it."""
    messages: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(language, message) for every language the rule's sh:message is written in."""

    def message_in(self, language: str) -> str:
        """The message in ``language`` where the shape has one, else the English one."""
        return dict(self.messages).get(language, self.message)


@dataclass
class CoverageReport:
    """All findings, ordered by rule and element."""

    findings: list[Finding]

    def by_rule(self) -> dict[str, list[Finding]]:
        """Findings grouped per rule (a stable order)."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.rule, []).append(finding)
        return grouped

    def as_json(self) -> dict[str, Any]:
        """The report as plain data: counts per rule and every finding."""
        return {
            "counts": {rule: len(items) for rule, items in self.by_rule().items()},
            "findings": [
                {k: v for k, v in asdict(f).items() if k != "messages"} for f in self.findings
            ],
        }


def coverage_report(store: Store) -> CoverageReport:
    """Run the coverage shapes over the whole graph and the ontology."""
    thread_safe_sparql()  # pySHACL's SPARQL constraints are queries
    data = store.export()
    data += load_ontology()
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=load_coverage_shapes(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    found = refs(store, {f for f in results.objects(None, SH.focusNode) if isinstance(f, URIRef)})
    findings = []
    for result in results.subjects(SH.sourceShape, None):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        severity = results.value(result, SH.resultSeverity)
        value = results.value(result, SH.value)
        assert isinstance(focus, URIRef)
        assert shape is not None
        assert severity is not None
        ref = found.get(focus)
        findings.append(
            Finding(
                rule=str(shape).rsplit("#", 1)[-1],
                severity=str(severity).rsplit("#", 1)[-1],
                element=store.ids.key(str(focus)) if ref is None else ref.id,
                label=ref.label if ref is not None else None,
                value=str(value) if value is not None and value != focus else None,
                message=_readable(_message(results, result, _LANGUAGES[0]), store),
                messages=tuple(
                    (language, _readable(_message(results, result, language), store))
                    for language in _LANGUAGES
                ),
            )
        )
    return CoverageReport(sorted(set(findings)))


def _message(results: Graph, result: URIRef | Any, language: str) -> str:
    # pySHACL drops the language of SPARQL-based messages; the one in ``language``
    # is recognised by its template on the constraint.
    messages = [str(m) for m in results.objects(result, SH.resultMessage)]
    constraint = results.value(result, SH.sourceConstraint)
    for template in results.objects(constraint, SH.message):
        if isinstance(template, Literal) and template.language == language:
            head = str(template).split("{", 1)[0]
            for message in messages:
                if message.startswith(head):
                    return message
    return messages[0] if messages else ""


def _readable(message: str, store: Store) -> str:
    """Element keys and jkg: names instead of full IRIs in a message."""
    return message.replace(store.ids.base_iri, "").replace(str(JKG), "jkg:")


def print_coverage(report: CoverageReport, console: Console) -> None:
    """The report as one rich table per rule."""
    if not report.findings:
        console.print("no gaps found")
        return
    for rule, findings in report.by_rule().items():
        table = Table(
            title=f"{rule} ({len(findings)}, {findings[0].severity})", title_justify="left"
        )
        for column in ("element", "label", "finding"):
            table.add_column(column)
        for finding in findings:
            table.add_row(finding.element, finding.label or "", finding.message)
        console.print(table)
