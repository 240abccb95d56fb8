"""The sync engine's guarantees, each proved on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.canonical import canonical
from journeykg.graph.elements import resolve
from journeykg.graph.errors import StoreError
from journeykg.graph.freshness import data_as_of
from journeykg.graph.governed_steps import ProposedText
from journeykg.graph.provenance import provenance_of
from journeykg.graph.store import Store
from journeykg.loaders.quarantine import QuarantineSource
from journeykg.loaders.source import MappedRecord
from journeykg.loaders.sync import (
    SyncBusyError,
    SyncFailedError,
    SyncOptions,
    exclusive,
    read_bookmark,
    source_iri,
    sync,
)
from journeykg.namespaces import JKG, PROV, RDF, RDFS, REG, SKOS
from journeykg.validation.problems import Problem
from tests.conftest import read_fixture
from tests.loaders.sync_sources import ListSource, entity, record, volume

CRM = "crm"


@pytest.fixture
def base(store: Store) -> Store:
    """The small organisation (a contact reason, a channel) the records point at."""
    store.upsert(read_fixture("impact_small.ttl"))
    return store


def iri(rec: MappedRecord) -> URIRef:
    (subject,) = set(rec.graph.subjects())
    assert isinstance(subject, URIRef)
    return subject


def present(store: Store, rec: MappedRecord) -> bool:
    return (iri(rec), RDF.type, None) in store.describe([iri(rec)])


def without_run_state(graph: Graph) -> Graph:
    """The graph minus what each run adds about itself (its activity, the source's pointers)."""
    runs = set(graph.subjects(RDF.type, JKG.SyncRun))
    out = Graph()
    for s, p, o in graph:
        if s in runs or p in (JKG.lastRun, JKG.lastSeen):
            continue
        out.add((s, p, o))
    return out


# --- writing and provenance ------------------------------------------------------------


def test_records_are_written_with_their_source_key_and_run(base: Store) -> None:
    records = [volume(CRM, "r|app|2025", 120), volume(CRM, "r|phone|2025", 80)]
    report = sync(base, ListSource(CRM, [records]))
    assert (report.status, report.written, report.rejected) == ("ok", 2, 0)
    facts = base.describe([iri(records[0])])
    subject = iri(records[0])
    assert facts.value(subject, JKG.syncedFrom) == source_iri(base, CRM)
    assert str(facts.value(subject, JKG.externalId)) == "r|app|2025"
    run = facts.value(subject, PROV.wasGeneratedBy)
    assert run is not None
    assert report.run == base.ids.key(str(run))
    activity = base.describe([URIRef(str(run))])
    assert (URIRef(str(run)), RDF.type, PROV.Activity) in activity
    assert activity.value(URIRef(str(run)), PROV.startedAtTime) is not None
    assert str(activity.value(URIRef(str(run)), JKG.runStatus)) == "ok"
    # The freshness of answers (dataAsOf) sees synced facts like loaded ones.
    assert data_as_of(base, [subject]) is not None
    assert resolve(base, base.ids.key(str(subject))).type == "ContactVolume"


def test_running_the_same_sync_twice_changes_nothing_but_the_runs_own_record(
    base: Store,
) -> None:
    records = [volume(CRM, f"r|app|{i}", 10 * i, complaints=i) for i in range(5)]
    first = sync(base, ListSource(CRM, [records[:3], records[3:]]))
    after_first = base.export()
    second = sync(base, ListSource(CRM, [records[:3], records[3:]]))
    after_second = base.export()
    assert (first.written, second.written, second.unchanged) == (5, 0, 5)
    assert canonical(without_run_state(after_first)) == canonical(without_run_state(after_second))
    # Unchanged facts keep pointing at the run that wrote them; only the new run is added.
    runs = set(after_second.subjects(RDF.type, JKG.SyncRun))
    assert len(runs) == 2
    assert base.describe([iri(records[0])]).value(iri(records[0]), PROV.wasGeneratedBy) == (
        base.ids.iri(str(first.run))
    )


def test_a_changed_record_replaces_everything_it_said_before(base: Store) -> None:
    sync(base, ListSource(CRM, [[volume(CRM, "a", 100, complaints=7)]]))
    report = sync(base, ListSource(CRM, [[volume(CRM, "a", 150)]]))
    assert report.written == 1
    facts = base.describe([iri(volume(CRM, "a"))])
    assert [int(str(o)) for o in facts.objects(None, JKG.contacts)] == [150]
    assert list(facts.objects(None, JKG.complaints)) == []  # gone with the old version


def test_a_changed_record_is_judged_as_it_will_be_stored_not_merged_with_the_old(
    base: Store,
) -> None:
    """The record replaces its element whole, so the gate must not see the old label beside
    it: without one the new version breaks the mandatory label and is refused."""
    sync(base, ListSource(CRM, [[volume(CRM, "a", 100)]]))
    unlabelled = record(
        CRM,
        "a",
        "<SELF> a jkg:ContactVolume ; jkg:volumeOf <reason/r> ; jkg:viaChannel <channel/app> ; "
        'jkg:period "2025"^^xsd:gYear ; jkg:contacts 150 .',
    )
    report = sync(base, ListSource(CRM, [[unlabelled]]))
    assert (report.written, report.rejected) == (0, 1)
    (problem,) = report.rejections[0].problems
    assert problem.property == "rdfs:label"
    facts = base.describe([iri(volume(CRM, "a"))])
    assert [int(str(o)) for o in facts.objects(None, JKG.contacts)] == [100]


# --- the gate and the quarantine --------------------------------------------------------


def test_failing_records_are_quarantined_and_the_rest_is_written(
    base: Store, tmp_path: Path
) -> None:
    good = volume(CRM, "good", 5)
    negative = volume(CRM, "negative", -3)
    unknown = volume(CRM, "unknown-reason", 4, reason="reason/bestaat-niet")
    quarantine = tmp_path / "q.jsonl"
    report = sync(
        base, ListSource(CRM, [[good, negative, unknown]]), SyncOptions(quarantine=quarantine)
    )
    assert (report.status, report.written, report.rejected, report.exit_code) == (
        "rejected",
        1,
        2,
        1,
    )
    assert present(base, good)
    assert not present(base, negative)
    assert not present(base, unknown)
    by_id = {r.external_id: r for r in report.rejections}
    (problem,) = by_id["negative"].problems
    assert problem.file == "crm.json#negative"
    assert (problem.node, problem.property) == (base.ids.key(str(iri(negative))), "jkg:contacts")
    assert problem.rule == "jkgsh:ContactVolume-contacts (MinInclusiveConstraintComponent)"
    (problem,) = by_id["unknown-reason"].problems
    assert (problem.property, problem.value) == (
        "jkg:volumeOf",
        base.ids.base_iri + "reason/bestaat-niet",
    )
    assert "ClassConstraintComponent" in problem.rule

    lines = [json.loads(line) for line in quarantine.read_text().splitlines()]
    assert sorted(line["external_id"] for line in lines) == ["negative", "unknown-reason"]
    line = next(x for x in lines if x["external_id"] == "negative")
    assert set(line) == {"source", "external_id", "origin", "run", "problems", "triples"}
    assert (line["source"], line["origin"]) == (CRM, "crm.json#negative")
    assert line["problems"][0]["property"] == "jkg:contacts"
    assert canonical(Graph().parse(data=line["triples"], format="nt")) == canonical(negative.graph)

    # Repair the quarantined record and replay it through the same gate.
    line["triples"] = line["triples"].replace('"-3"', '"3"')
    repaired = tmp_path / "repaired.jsonl"
    repaired.write_text(json.dumps(line) + "\n")
    replay = sync(base, QuarantineSource(repaired), SyncOptions(mode="incremental"))
    assert (replay.written, replay.rejected) == (1, 0)
    assert present(base, negative)
    assert present(base, good)  # a partial sync retires nothing


def test_strict_writes_nothing_when_any_record_fails(base: Store) -> None:
    before = canonical(base.export())
    source = ListSource(CRM, [[volume(CRM, "a", 1)], [volume(CRM, "b", -1)]])
    report = sync(base, source, SyncOptions(strict=True))
    assert (report.status, report.written, report.rejected, report.exit_code) == (
        "nothing written",
        0,
        1,
        1,
    )
    assert canonical(base.export()) == before
    ok = sync(
        base,
        ListSource(CRM, [[volume(CRM, "a", 1)], [volume(CRM, "b", 1)]]),
        SyncOptions(strict=True),
    )
    assert (ok.status, ok.written) == ("ok", 2)


def test_a_later_batch_may_point_at_an_earlier_one(base: Store) -> None:
    thing = entity(CRM, "thing")
    points = record(
        CRM, "pointer", f"<SELF> a prov:Entity ; prov:wasDerivedFrom {iri(thing).n3()} ."
    )
    report = sync(base, ListSource(CRM, [[thing], [points]]), SyncOptions(strict=True))
    assert report.written == 2


def test_the_gate_checks_the_nodes_that_point_at_a_record(base: Store) -> None:
    """A record that turns a channel into something else breaks the touchpoints using it."""
    base.upsert(
        Graph().parse(
            data="""@prefix jkg: <https://w3id.org/journeykg/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <https://id.journeykg.example/volume/crm/chan> a jkg:Channel ;
                rdfs:label "Chat"@nl ;
                jkg:syncedFrom <https://id.journeykg.example/source/crm> ;
                jkg:externalId "chan" .
            <https://id.journeykg.example/touchpoint/t1>
                jkg:viaChannel <https://id.journeykg.example/volume/crm/chan> .""",
            format="turtle",
        )
    )
    retyped = record(CRM, "chan", '<SELF> a prov:Entity ; rdfs:label "Chat"@nl .')
    report = sync(base, ListSource(CRM, [[retyped]]), SyncOptions(mode="incremental"))
    assert report.rejected == 1
    (problem,) = report.rejections[0].problems
    assert (problem.node, problem.property) == ("touchpoint/t1", "jkg:viaChannel")
    assert problem.file == "crm.json#chan"


# --- governance ---------------------------------------------------------------------------


def test_governed_data_is_never_overwritten(base: Store) -> None:
    concept = base.ids.iri("concept/klacht")
    approved = Graph()
    approved.add((concept, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")))
    approved.add((concept, REG.status, JKG.statusApproved))
    approved.add((concept, RDFS.label, Literal("Klacht", lang="nl")))
    base.upsert(approved)
    before = canonical(base.describe([base.ids.iri("reason/r"), concept]))
    framework = record(CRM, "reason", '<reason/r> rdfs:label "Anders"@nl .')
    definition = record(CRM, "definition", '<concept/klacht> rdfs:label "Gedoe"@nl .')
    self_approved = record(
        CRM,
        "status",
        "<SELF> a prov:Entity ; reg:status <https://w3id.org/journeykg/ontology#statusApproved> .",
    )
    fine = volume(CRM, "fine", 3)
    report = sync(base, ListSource(CRM, [[framework, definition, self_approved, fine]]))
    assert (report.written, report.rejected) == (1, 3)
    assert {r.external_id: r.problems[0].rule for r in report.rejections} == {
        "reason": "governed data",
        "definition": "governed data",
        "status": "governed data",
    }
    assert canonical(base.describe([base.ids.iri("reason/r"), concept])) == before
    assert present(base, fine)


def test_an_element_of_another_source_is_not_taken_over(base: Store) -> None:
    mine = volume("hubspot", "x", 1)
    sync(base, ListSource("hubspot", [[mine]]))
    thief = record(CRM, "x", f"{iri(mine).n3()} jkg:contacts 2 .")
    report = sync(base, ListSource(CRM, [[thief]]), SyncOptions(mode="incremental"))
    assert report.rejections[0].problems[0].rule == "owned by another source"
    assert [int(str(o)) for o in base.describe([iri(mine)]).objects(None, JKG.contacts)] == [1]


def test_a_hand_made_element_is_not_merged_into(base: Store, tmp_path: Path) -> None:
    """Lenient: the colliding record is refused and quarantined, the rest written; strict: none."""
    before = canonical(base.describe([base.ids.iri("journey/j")]))
    merge = record(CRM, "j", '<journey/j> rdfs:label "Verhuizen (CRM)"@nl .')
    fine = volume(CRM, "fine", 3)
    strict = sync(
        base, ListSource(CRM, [[merge, fine]]), SyncOptions(mode="incremental", strict=True)
    )
    assert (strict.status, strict.written, present(base, fine)) == ("nothing written", 0, False)
    quarantine = tmp_path / "q.jsonl"
    report = sync(
        base,
        ListSource(CRM, [[merge, fine]]),
        SyncOptions(mode="incremental", quarantine=quarantine),
    )
    assert (report.status, report.written, report.rejected) == ("rejected", 1, 1)
    (problem,) = report.rejections[0].problems
    assert (problem.node, problem.property, problem.rule) == (
        "journey/j",
        "jkg:syncedFrom",
        "made by hand, not by a source",
    )
    assert "journey/j was made outside any sync" in problem.message
    assert f"so {CRM} does not merge into it" in problem.message
    assert json.loads(quarantine.read_text())["external_id"] == "j"
    assert canonical(base.describe([base.ids.iri("journey/j")])) == before
    assert present(base, fine)


def test_changed_governed_texts_become_proposals_with_a_proposer(base: Store) -> None:
    asked: list[ProposedText] = []

    def proposer(change: ProposedText) -> str:
        asked.append(change)
        return "reason/r/change/1"

    rename = record(CRM, "reason", '<reason/r> skos:prefLabel "Verhuizing"@nl .')
    moved = record(CRM, "moved", "<reason/r> jkg:inPhase <phase/elders> .")
    fine = volume(CRM, "fine", 3)
    before = canonical(base.describe([base.ids.iri("reason/r")]))
    dry = sync(
        base,
        ListSource(CRM, [[rename, moved, fine]]),
        SyncOptions(mode="incremental", dry_run=True, proposer=proposer),
    )
    assert (dry.proposed, dry.proposals, asked) == (1, [], [])  # counted, not proposed
    report = sync(
        base,
        ListSource(CRM, [[rename, moved, fine]]),
        SyncOptions(mode="incremental", proposer=proposer),
    )
    assert (report.proposed, report.proposals) == (1, ["reason/r/change/1"])
    (change,) = asked
    assert (change.element, dict(change.texts)) == (
        base.ids.iri("reason/r"),
        {SKOS.prefLabel: {"nl": "Verhuizing"}},
    )
    # A new phase is no text: the record is refused, naming the step that changes it.
    ((problem,),) = [r.problems for r in report.rejections]
    assert (problem.node, problem.property, problem.rule) == (
        "reason/r",
        "jkg:inPhase",
        "governed data",
    )
    assert "journeykg governance deprecate reason/r --replacement NEW" in problem.message
    assert canonical(base.describe([base.ids.iri("reason/r")])) == before
    assert present(base, fine)


# --- full sync: retirement ------------------------------------------------------------------


def test_a_full_sync_retires_what_vanished_from_its_source_only(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(40)]
    other = entity("hubspot", "e0")
    sync(base, ListSource("hubspot", [[other]]))
    sync(base, ListSource(CRM, [records]))
    dry = sync(base, ListSource(CRM, [records[1:]]), SyncOptions(dry_run=True))
    assert (dry.retire_candidates, dry.retired, dry.run) == (1, 1, None)
    assert present(base, records[0])  # a dry run writes nothing
    report = sync(base, ListSource(CRM, [records[1:]]))
    assert (report.status, report.retired, report.owned_before) == ("ok", 1, 40)
    assert report.retired_ids == [base.ids.key(str(iri(records[0])))]
    assert not present(base, records[0])
    assert all(present(base, r) for r in records[1:])
    assert present(base, other)
    incremental = sync(base, ListSource(CRM, [records[2:3]]), SyncOptions(mode="incremental"))
    assert incremental.retired == 0
    assert present(base, records[1])


def test_the_guard_refuses_to_retire_more_than_the_share_without_force(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(20)]
    sync(base, ListSource(CRM, [records]))
    refused = sync(base, ListSource(CRM, [records[:10]]))
    assert (refused.status, refused.retired, refused.retire_candidates, refused.exit_code) == (
        "retirement refused",
        0,
        10,
        2,
    )
    assert refused.retire_refused is not None
    assert "50.0%" in refused.retire_refused
    assert all(present(base, r) for r in records)
    forced = sync(base, ListSource(CRM, [records[:10]]), SyncOptions(force=True))
    assert forced.retired == 10
    assert not any(present(base, r) for r in records[10:])
    wider = sync(base, ListSource(CRM, [records[:5]]), SyncOptions(retire_max_share=0.6))
    assert wider.retired == 5


def last_seen(store: Store) -> Literal | None:
    """The source's ``jkg:lastSeen`` as stored."""
    value = store.describe([source_iri(store, CRM)]).value(source_iri(store, CRM), JKG.lastSeen)
    assert value is None or isinstance(value, Literal)
    return value


def test_a_refused_retirement_moves_no_last_seen(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(20)]
    sync(base, ListSource(CRM, [records]))
    seen = last_seen(base)
    vanished = base.ids.key(str(iri(records[15])))
    told = provenance_of(base, vanished).last_seen
    assert seen is not None
    assert told is not None
    failure = Problem("cases.json#records[3]", "mapping", "no contact reason")
    for refused in (
        sync(base, ListSource(CRM, [records[:10]])),  # 50 % would go: the guard
        sync(base, ListSource(CRM, [records[:19]], failures=[failure])),  # keys unknown
    ):
        assert refused.retire_refused is not None
        assert refused.run is not None  # the run is on record, with its status
        assert last_seen(base) == seen
        # The vanished element is not reported as seen by the refused runs.
        assert provenance_of(base, vanished).last_seen == told
    forced = sync(base, ListSource(CRM, [records[:10]]), SyncOptions(force=True))
    assert forced.retired == 10
    moved = last_seen(base)
    assert moved is not None
    assert moved.toPython() > seen.toPython()


def test_a_run_that_writes_nothing_or_fails_moves_no_provenance(
    base: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [entity(CRM, f"e{i}") for i in range(20)]
    sync(base, ListSource(CRM, [records]))
    before = canonical(base.export())
    bad = record(CRM, "bad", "<SELF> a jkg:ContactVolume ; jkg:contacts -5 .")
    strict = sync(base, ListSource(CRM, [[*records[1:], bad]]), SyncOptions(strict=True))
    dry = sync(base, ListSource(CRM, [records[1:]]), SyncOptions(dry_run=True))
    assert (strict.status, strict.run, dry.run) == ("nothing written", None, None)
    assert canonical(base.export()) == before  # no run, no lastRun, no lastSeen
    seen = last_seen(base)

    def failing(*args: object, **kwargs: object) -> object:
        raise StoreError("connection lost")

    monkeypatch.setattr(base, "apply", failing)
    with pytest.raises(SyncFailedError):
        sync(base, ListSource(CRM, [records[1:]]))  # its one write is its last
    monkeypatch.undo()
    assert canonical(base.export()) == before
    assert last_seen(base) == seen


def test_a_dry_run_lists_what_it_would_retire(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(20)]
    sync(base, ListSource(CRM, [records]))
    candidates = sorted(base.ids.key(str(iri(r))) for r in records[12:])
    before = canonical(base.export())
    refused = sync(base, ListSource(CRM, [records[:12]]), SyncOptions(dry_run=True))
    assert (refused.status, refused.retire_candidates, refused.retired) == (
        "retirement refused",
        8,
        0,
    )
    assert refused.retire_candidate_ids == candidates
    assert refused.retired_ids == []
    forced = sync(base, ListSource(CRM, [records[:12]]), SyncOptions(dry_run=True, force=True))
    assert (forced.status, forced.retired, forced.run) == ("ok", 8, None)
    assert forced.retired_ids == forced.retire_candidate_ids == candidates
    assert canonical(base.export()) == before  # neither dry run wrote anything


def test_the_guard_weighs_what_the_source_owned_before_the_run(base: Store) -> None:
    first = sync(base, ListSource(CRM, [[entity(CRM, f"e{i}") for i in range(20)]]))
    assert first.owned_before == 0
    # 2 of the 20 vanish (10 %) while 20 new ones arrive: the new ones do not dilute the share
    newer = [entity(CRM, f"e{i}") for i in range(2, 20)] + [entity(CRM, f"n{i}") for i in range(20)]
    dry = sync(base, ListSource(CRM, [newer]), SyncOptions(dry_run=True, retire_max_share=0.08))
    real = sync(base, ListSource(CRM, [newer]), SyncOptions(retire_max_share=0.08))
    for report in (dry, real):
        assert (report.status, report.owned_before, report.retire_candidates) == (
            "retirement refused",
            20,
            2,
        )
        assert report.retire_refused is not None
        assert "(10.0%)" in report.retire_refused
    assert (real.written, real.retired) == (20, 0)


def test_unmappable_input_holds_retirement_back(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(40)]
    sync(base, ListSource(CRM, [records]))
    failure = Problem("cases.json#records[3]", "mapping", "no contact reason")
    row = Problem("cases.csv", "mapping", "no contact reason", line=12)
    report = sync(base, ListSource(CRM, [records[1:]], failures=[failure, row]))
    assert report.rejected == 2
    assert [r.origin for r in report.rejections] == ["cases.json#records[3]", "cases.csv:12"]
    assert report.retire_refused is not None
    assert present(base, records[0])


def test_a_retirement_candidate_still_pointed_at_is_kept(base: Store) -> None:
    records = [entity(CRM, f"e{i}") for i in range(40)]
    sync(base, ListSource(CRM, [records]))
    base.upsert(Graph().add((base.ids.iri("process/x"), PROV.wasDerivedFrom, iri(records[0]))))
    report = sync(base, ListSource(CRM, [records[1:]]))
    assert report.retired == 0
    assert [k.rule for k in report.kept] == ["still referenced"]
    assert present(base, records[0])


# --- bookmarks -----------------------------------------------------------------------------


def test_the_bookmark_moves_only_with_a_successful_write(
    base: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = [[entity(CRM, "a")], [entity(CRM, "b")], [entity(CRM, "c")]]
    source = ListSource(CRM, batches, bookmarks=["t1", "t2", "t3"])
    real_apply = base.apply
    calls = {"n": 0}

    def failing_second_write(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreError("connection lost")
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(base, "apply", failing_second_write)
    with pytest.raises(SyncFailedError) as failed:
        sync(base, source, SyncOptions(mode="incremental"))
    assert failed.value.report.status == "failed"
    assert failed.value.report.bookmark_after == "t1"
    monkeypatch.undo()
    assert read_bookmark(base, CRM) == "t1"
    assert present(base, batches[0][0])
    assert not present(base, batches[1][0])

    resumed = sync(base, source, SyncOptions(mode="incremental"))
    assert source.asked == [None, "t1"]
    assert (resumed.written, resumed.bookmark_before, resumed.bookmark_after) == (2, "t1", "t3")
    assert read_bookmark(base, CRM) == "t3"
    assert all(present(base, b[0]) for b in batches)


def test_a_second_sync_of_the_same_source_is_refused_while_one_runs(base: Store) -> None:
    with exclusive(CRM), pytest.raises(SyncBusyError):
        sync(base, ListSource(CRM, [[entity(CRM, "a")]]))
    assert sync(base, ListSource(CRM, [[entity(CRM, "a")]])).written == 1
