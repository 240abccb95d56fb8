"""The signal rules and the before/after measurement as questions over the port, on both
backends: what fires, what does not, and what is explained instead of answered."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.before_after import before_after
from journeykg.graph.comparable import period_length
from journeykg.graph.signals import (
    RuleNotApplicableError,
    all_signals,
    count_tail,
    kpi_below_target,
    owner_of,
    owners_of,
    poisson_tail,
    robust_z,
    spikes,
)
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, XSD
from tests.services.insights.organisation import (
    CONTEXT,
    CTX,
    KPI,
    OWNER,
    REASON,
    kpi_values,
    volumes,
)


@pytest.fixture
def org(store: Store) -> Store:
    store.upsert(Graph().parse(CONTEXT, format="turtle"))
    return store


def test_a_complaint_spike_against_its_own_baseline(org: Store) -> None:
    org.upsert(volumes([4, 6, 5, 3, 5, 30]))
    (found,) = spikes(org)
    assert (found.rule, found.element, found.channel) == (
        "complaint-spike",
        str(REASON),
        CTX + "channel-phone",
    )
    assert (found.period_start, found.observed, found.expected) == ("2026-06-01", 30.0, 4.6)
    assert found.statistic == pytest.approx(poisson_tail(30, 4.6))
    assert found.statistic < 0.001
    assert found.evidence[0] == CTX + "volume/6"
    assert found.key == f"complaint-spike|{REASON}|{CTX}channel-phone"


@pytest.mark.parametrize(
    "complaints",
    [
        [4, 6, 5, 3, 5, 10],  # high, but within Poisson noise of 4.6 (p ≈ 0.02)
        [0, 0, 0, 4],  # below the minimum count of 5
        [4, 30],  # too short a history for a baseline
    ],
)
def test_no_spike_without_evidence_beyond_noise(org: Store, complaints: list[int]) -> None:
    org.upsert(volumes(complaints))
    assert spikes(org) == []


def test_an_overdispersed_baseline_is_tested_negative_binomial(org: Store) -> None:
    # 20 after 2, 15, 3, 14, 4 (mean 7.6, variance 40.3): the Poisson tail says p = 0.00013,
    # a spike; with the baseline's own variance (negative binomial) p = 0.055: noise.
    org.upsert(volumes([2, 15, 3, 14, 4, 20]))
    assert poisson_tail(20, 7.6) < 0.001
    assert count_tail(20, 7.6, 40.3) > 0.05
    assert spikes(org) == []


def test_a_kpi_below_target_for_three_periods_and_a_drop(org: Store) -> None:
    org.upsert(kpi_values([12, 14, 11, 13, 12, 9, 8, 2]))
    rules = {(f.rule, f.period_start) for f in all_signals(org)}
    assert rules == {("kpi-below-target", "2026-08-01"), ("score-drop", "2026-08-01")}
    found = kpi_below_target(org, str(KPI))
    assert found is not None
    assert (found.observed, found.expected, found.statistic) == (2.0, 10.0, 3.0)


def test_a_rule_on_a_kpi_without_values_says_why(org: Store) -> None:
    org.upsert(kpi_values([]))
    with pytest.raises(RuleNotApplicableError) as refused:
        kpi_below_target(org, str(KPI))
    error = refused.value
    assert (error.record, error.field, error.rule) == (
        "test/context/kpi",
        "jkg:valueOf",
        "kpi-below-target",
    )
    assert "has 0 dated value(s)" in str(error)
    assert all_signals(org) == []


def test_the_owner_of_a_contact_reason_is_its_journeys_owner(org: Store) -> None:
    assert owner_of(org, REASON) == OWNER
    assert owner_of(org, URIRef(CTX + "touchpoint")) == OWNER
    assert owner_of(org, URIRef(CTX + "persona")) is None


def test_the_owners_of_many_elements_at_once_are_each_ones_owner(org: Store) -> None:
    org.upsert(kpi_values([1, 2, 3]))
    elements = sorted({s for s in org.export().subjects() if isinstance(s, URIRef)})
    assert len(elements) > 10
    at_once = owners_of(org, elements)
    assert at_once == {e: owner_of(org, e) for e in elements}
    assert at_once[REASON] == OWNER
    assert any(o is None for o in at_once.values())
    assert owners_of(org, []) == {}


def test_before_and_after_beyond_noise(org: Store) -> None:
    org.upsert(kpi_values([2, 4, 3, 1, 3, 2, 15, 17, 14, 16]))
    answer = before_after(org, str(KPI), "2026-07-01")
    assert answer.before.periods == tuple(f"2026-0{m}-01" for m in range(1, 7))
    assert answer.after.periods == tuple(f"2026-{m:02d}-01" for m in range(7, 11))
    assert (answer.before.responses, answer.after.responses) == (300, 200)
    assert answer.difference == pytest.approx(15.5 - 2.5)
    assert answer.p_value is not None
    assert answer.p_value < 0.05
    assert answer.beyond_noise
    assert answer.why_not is None


def test_noise_is_not_an_effect(org: Store) -> None:
    org.upsert(kpi_values([2, 6, 3, 1, 5, 2, 4, 1, 6, 2]))
    answer = before_after(org, str(KPI), "2026-07-01")
    assert answer.p_value is not None
    assert not answer.beyond_noise


def test_before_and_after_over_incomparable_scales_is_explained(org: Store) -> None:
    values = kpi_values([2, 4, 3, 15, 17, 14])
    # A CES-like KPI declaring nothing, its values on a 1-5 scale first and a 1-7 scale later.
    values.remove((KPI, JKG.kpiType, JKG.NPS))
    values.add((KPI, JKG.kpiType, JKG.CES))
    for i in range(1, 7):
        values.add((URIRef(f"{CTX}kpi-value/{i}"), JKG.scaleMax, Literal(5 if i < 4 else 7)))
    org.upsert(values)
    answer = before_after(org, str(KPI), "2026-04-01")
    assert answer.why_not is not None
    assert "not comparable: scale maximum 5 against 7" in answer.why_not
    assert answer.p_value is None
    assert not answer.beyond_noise


def test_too_few_periods_is_explained(org: Store) -> None:
    org.upsert(kpi_values([2, 4, 15]))
    answer = before_after(org, str(KPI), "2026-03-01")
    assert answer.why_not == (
        "2 period(s) before and 1 after 2026-03-01; the test needs at least 2 on each side"
    )


def test_periods_compare_by_length() -> None:
    assert period_length("2026-02-01", "2026-02-28") == "month"
    assert period_length("2026-01-01", "2026-03-31") == "quarter"
    assert period_length("2026-01-01", "2026-01-10") == "10 days"


def test_robust_z_falls_back_when_most_values_are_equal() -> None:
    assert robust_z(0.0, [5, 5, 5, 6]) == pytest.approx((0 - 5) / (0.25 * 1.2533))
    assert robust_z(1.0, [5, 5, 5]) is None


def test_a_date_literal_is_read_as_a_date(org: Store) -> None:
    org.upsert(kpi_values([1, 2]))
    stored = org.describe([URIRef(f"{CTX}kpi-value/1")])
    assert stored.value(URIRef(f"{CTX}kpi-value/1"), JKG.periodStart) == Literal(
        "2026-01-01", datatype=XSD.date
    )
