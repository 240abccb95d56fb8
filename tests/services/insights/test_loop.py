"""The loop: one draft insight per cause for the owner of what it concerns, updated (never
doubled) when the cause is found again; signal and insight written through shapes and audit."""

from __future__ import annotations

from rdflib import URIRef

from journeykg.graph.audited import AuditedStore
from journeykg.namespaces import JKG
from journeykg.services.insights.insights import set_insight_status
from journeykg.services.insights.loop import close_loop
from journeykg.services.insights.records import insights, read_insight
from tests.services.insights.organisation import CTX, kpi_values, volumes

SPIKE = "insight/complaint-spike-test-context-reason-test-context-channel-phone"


def test_a_spike_drafts_one_insight_and_a_later_spike_updates_it(
    organisation: AuditedStore,
) -> None:
    organisation.upsert(volumes([4, 6, 5, 3, 5, 30]))
    first = close_loop(organisation)
    assert first.drafted == [SPIKE]
    draft = read_insight(organisation, SPIKE)
    assert (draft.status, draft.owner) == ("new", "test/context/owner")
    assert draft.evidence == (
        "signal/complaint-spike-test-context-reason-test-context-channel-phone",
        "test/context/volume/6",
    )
    assert "Complaints about" in next(
        str(o)
        for o in organisation.export().objects(URIRef(organisation.ids.iri(SPIKE)), None)
        if getattr(o, "language", None) == "en"
    )
    # Run again on the same data: nothing new, nothing written.
    entries_before = organisation.journal.entries(limit=0)[1]
    again = close_loop(organisation)
    assert (again.drafted, again.updated) == ([], [])
    assert organisation.journal.entries(limit=0)[1] == entries_before
    # The owner works on it; months later the same cause spikes again: the same insight
    # gets the evidence.
    set_insight_status(organisation, SPIKE, "validated")
    organisation.upsert(volumes([4, 6, 5, 3, 5, 30, 4, 5, 4, 5, 3, 4, 40]))
    later = close_loop(organisation)
    assert (later.drafted, later.updated) == ([], [SPIKE])
    updated = read_insight(organisation, SPIKE)
    assert updated.status == "validated"  # a signal never changes the owner's status
    assert "test/context/volume/13" in updated.evidence
    assert [i.id for i in insights(organisation)] == [SPIKE]
    assert len(organisation.instances(JKG.Signal)) == 1


def test_a_kpi_signal_goes_to_the_kpi_owner_and_concerns_what_it_measures(
    organisation: AuditedStore,
) -> None:
    organisation.upsert(kpi_values([12, 14, 11, 13, 12, 9, 8, 2]))
    report = close_loop(organisation)
    assert sorted(report.drafted) == [
        "insight/kpi-below-target-test-context-kpi",
        "insight/score-drop-test-context-kpi",
    ]
    drop = read_insight(organisation, "insight/score-drop-test-context-kpi")
    assert drop.owner == "test/context/owner"
    assert drop.concerns == ("test/context/journey", "test/context/kpi")


def test_a_signal_about_what_nobody_owns_is_kept_without_a_draft(
    organisation: AuditedStore,
) -> None:
    graph = volumes([4, 6, 5, 3, 5, 30])
    organisation.upsert(graph)
    journey = URIRef(CTX + "journey")
    stored = organisation.describe([journey])
    stored.remove((journey, JKG.ownedBy, None))
    organisation.apply(stored, retract=[journey])
    report = close_loop(organisation)
    assert report.drafted == []
    assert report.unowned == ["complaint-spike|test/context/reason|test/context/channel-phone"]
    assert len(organisation.instances(JKG.Signal)) == 1


def test_after_a_write_the_loop_judges_only_what_it_wrote(organisation: AuditedStore) -> None:
    """The loop a sync runs (``written``: its subjects) judges the series and KPIs those
    belong to; a spike or a KPI below target elsewhere waits for the full sweep."""
    organisation.upsert(volumes([4, 6, 5, 3, 5, 30]))
    organisation.upsert(kpi_values([12, 14, 11, 13, 12, 9, 8, 2]))
    spike_volume, kpi_value = URIRef(CTX + "volume/6"), URIRef(CTX + "kpi-value/8")
    # A write of the KPI's value only: the KPI's rules run, the spike is not judged.
    kpi_only = close_loop(organisation, written=[kpi_value])
    assert sorted(kpi_only.drafted) == [
        "insight/kpi-below-target-test-context-kpi",
        "insight/score-drop-test-context-kpi",
    ]
    # A write of nothing the rules read: nothing judged, nothing written.
    assert close_loop(organisation, written=[URIRef(CTX + "owner")]).drafted == []
    # The volume's write: the spike.
    assert close_loop(organisation, written=[spike_volume]).drafted == [SPIKE]
    again = close_loop(organisation)
    assert again.drafted == []
    assert len(again.unchanged) == 3
