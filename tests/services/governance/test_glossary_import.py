"""``journeykg glossary import`` as the workflow sees it: first versions, new releases, ``--by``.

Both backends. A new release of an imported glossary (tests/loaders/
glossary_corpus.py writes release 1 and 2 of the NL-SBB thesaurus: release 2
changes concept 1's definition and adds concept 12) becomes change
proposals: approved concepts keep their text, unchanged ones are untouched,
new ones come in as proposed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.governed_steps import GovernedWriteError
from journeykg.graph.store import Store
from journeykg.services.governance import service
from journeykg.services.governance.imports import import_glossary_file
from journeykg.services.governance.posts import POST_RULE
from journeykg.services.governance.service import Caller
from journeykg.services.governance.transitions import Status
from tests.loaders import glossary_corpus as corpus
from tests.services.governance.conftest import STEWARD_POST, TickingClock, board_data
from tests.snapshot import graph_dump, snapshot

BEGRIP = "https://definities.geostandaarden.example/nl-sbb/id/begrip/"
CHANGED, UNCHANGED, NEW = BEGRIP + "b1", BEGRIP + "b2", BEGRIP + "b12"


@pytest.fixture
def audited(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    """Either backend holding the board (its posts), written through an audit journal."""
    store.upsert(board_data())
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    yield audited
    audited.journal.close()


@pytest.fixture
def released(audited: AuditedStore, tmp_path: Path) -> tuple[Path, Path]:
    """Release 1 imported, concept 1 and 2 approved by the board; release 2's file."""
    first = corpus.nl_sbb_thesaurus(tmp_path, release=1).path
    import_glossary_file(audited, first)
    steward = Caller(STEWARD_POST, "steward")
    for concept in (CHANGED, UNCHANGED):
        service.approve(
            audited,
            concept,
            steward,
            rationale="Vastgesteld door het CX-board.",
            clock=TickingClock(),
        )
    return first, corpus.nl_sbb_thesaurus(tmp_path, release=2).path


def test_an_imported_concept_has_its_first_version(audited: AuditedStore, tmp_path: Path) -> None:
    published = corpus.nl_sbb_thesaurus(tmp_path)
    import_glossary_file(audited, published.path)
    told = service.history(audited, CHANGED)
    (version,) = told.versions
    assert (version.number, version.status, version.valid_until) == (1, Status.PROPOSED, None)
    assert version.text.definitions == {"nl": "Een meetinrichting 1 zoals de sector het kent."}
    assert version.text.pref_labels == {"nl": "Meetinrichting 1"}
    assert service.show(audited, CHANGED).version == 1


def test_a_new_release_becomes_change_proposals(
    audited: AuditedStore, released: tuple[Path, Path]
) -> None:
    _, second = released
    approved = service.show(audited, CHANGED)
    untouched = graph_dump(audited.describe([URIRef(UNCHANGED)]))
    report = import_glossary_file(audited, second, propose=True, by=STEWARD_POST)
    assert report.to_propose == [CHANGED]
    assert report.concepts == 1  # concept 12, new in release 2
    assert report.unchanged == 11
    (proposal,) = service.history(audited, CHANGED).proposals
    assert report.proposals == [proposal.id]
    assert proposal.text.definitions["nl"].endswith("sinds release 2 kent.")
    # The approved text stays in force until the board approves the proposal.
    assert service.show(audited, CHANGED) == approved
    assert graph_dump(audited.describe([URIRef(UNCHANGED)])) == untouched
    new = service.show(audited, NEW)
    assert (new.status, new.version) == (Status.PROPOSED, 1)
    # The same release again proposes nothing new.
    again = import_glossary_file(audited, second, propose=True, by=STEWARD_POST)
    assert again.proposals == [proposal.id]
    assert len(service.history(audited, CHANGED).proposals) == 1


def test_a_new_release_without_propose_is_refused_and_names_the_option(
    audited: AuditedStore, released: tuple[Path, Path]
) -> None:
    _, second = released
    before = snapshot(audited, [CHANGED, UNCHANGED])
    with pytest.raises(GovernedWriteError) as refused:
        import_glossary_file(audited, second)
    assert "--propose --by POST" in refused.value.summary
    assert {(p.node, p.property) for p in refused.value.problems} == {(CHANGED, "skos:definition")}
    assert snapshot(audited, [CHANGED, UNCHANGED]) == before


def test_a_dry_run_of_a_new_release_proposes_and_writes_nothing(
    audited: AuditedStore, released: tuple[Path, Path]
) -> None:
    _, second = released
    before = snapshot(audited, [CHANGED, UNCHANGED, NEW])
    report = import_glossary_file(audited, second, propose=True, by=STEWARD_POST, dry_run=True)
    assert (report.to_propose, report.proposals, report.concepts) == ([CHANGED], [], 1)
    assert snapshot(audited, [CHANGED, UNCHANGED, NEW]) == before


def test_by_a_post_not_in_the_graph_says_which_posts_there_are_and_how_to_add_one(
    audited: AuditedStore, released: tuple[Path, Path]
) -> None:
    _, second = released
    before = snapshot(audited, [CHANGED])
    with pytest.raises(GovernedWriteError) as refused:
        import_glossary_file(audited, second, propose=True, by="owner/nobody")
    (problem,) = refused.value.problems
    assert (problem.node, problem.property, problem.rule) == ("owner/nobody", "--by", POST_RULE)
    assert "is not in the graph" in problem.message
    assert STEWARD_POST in problem.message  # the posts there are
    assert "journeykg load FILE" in problem.message
    assert snapshot(audited, [CHANGED]) == before
