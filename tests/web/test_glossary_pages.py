"""The glossary's pages in-process, on both backends: the list, its search, a concept's page."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.services.governance import service
from journeykg.services.governance.model import ConceptText
from tests.services.governance.conftest import TickingClock
from tests.web.glossary_client import (
    CONTRIBUTOR,
    approve_fcr,
    attribute,
    governed,
    propose_fcr,
    signed_in,
    text,
)


def test_the_list_finds_a_concept_by_its_alternative_label_in_the_chosen_language(
    store: Store, tmp_path: Path
) -> None:
    client, _ = governed(store, tmp_path)
    dutch = client.get("/glossary", params={"q": "aanbeveling", "in": "nl"})
    assert dutch.status_code == 200
    assert attribute(dutch.text, "data-concept") == ["concept/nps"]
    assert "Aanbevelingsscore" in text(dutch.text)
    english = client.get("/glossary", params={"q": "aanbeveling", "in": "en"})
    assert attribute(english.text, "data-concept") == []


def test_the_list_shows_each_status_and_filters_by_it(store: Store, tmp_path: Path) -> None:
    client, _ = governed(store, tmp_path)
    propose_fcr(store, TickingClock())
    everything = client.get("/glossary", params={"lang": "en"}).text
    assert attribute(everything, "data-concept") == ["concept/fcr", "concept/nps"]
    assert attribute(everything, "data-status") == ["proposed", "approved"]
    proposed = client.get("/glossary", params={"status": "proposed"}).text
    assert attribute(proposed, "data-concept") == ["concept/fcr"]
    # A preferred label in either language is found when no language is chosen.
    assert attribute(client.get("/glossary?q=eerste-contact").text, "data-concept") == [
        "concept/fcr"
    ]


def test_the_concept_page_shows_what_governance_show_prints(store: Store, tmp_path: Path) -> None:
    client, _ = governed(store, tmp_path)
    propose_fcr(store, TickingClock())
    html = client.get("/concept", params={"id": "concept/fcr", "lang": "en"}).text
    concept = service.show(store, "concept/fcr")
    rows = list(zip(attribute(html, "data-field"), attribute(html, "data-lang"), strict=True))
    expected = [
        (field, lang)
        for field, texts in (
            ("prefLabel", concept.text.pref_labels),
            ("definition", concept.text.definitions),
            ("scopeNote", concept.text.scope_notes),
        )
        for lang in sorted(texts)
    ]
    assert rows == expected
    shown = text(html)
    for definition in concept.text.definitions.values():
        assert definition in shown
    assert "Status: proposed" in shown
    assert "Source bron/handboek" in shown
    assert 'href="/concept?id=concept/nps"' in html  # broader, by its label
    # NPS's page names FCR narrower: FCR's skos:broader read the other way.
    nps = client.get("/concept", params={"id": "concept/nps", "lang": "en"}).text
    assert 'href="/concept?id=concept/fcr"' in nps
    assert "Alternative term Aanbevelingsscore (nl)" in text(nps)


def test_the_history_is_a_timeline_of_steps_with_who_role_why_and_versions(
    store: Store, tmp_path: Path
) -> None:
    client, _ = governed(store, tmp_path)
    clock = TickingClock()
    propose_fcr(store, clock)
    approve_fcr(store, clock)
    html = client.get("/concept", params={"id": "concept/fcr", "lang": "en"}).text
    found = service.history(store, "concept/fcr")
    newest_first = sorted(found.activities, key=lambda a: a.at, reverse=True)
    assert attribute(html, "data-activity") == [a.kind for a in newest_first]
    shown = text(html)
    for step in found.activities:
        assert f"by {step.by} as {step.role}" in shown
        assert f"Reason: {step.rationale}" in shown
    assert attribute(html, "data-made-version") == ["3", "2", "1"]
    assert attribute(html, "data-version-row") == ["3", "2", "1"]
    assert "made version 2: 2 Jan 2025, 09:00:00 – 4 Jan 2025, 09:00:00" in shown
    assert "made version 3: 4 Jan 2025, 09:00:00 – now" in shown
    # Dates as Dutch writes them on the Dutch page.
    assert "2 jan 2025" in text(client.get("/concept?id=concept/fcr&lang=nl").text)


def test_used_by_is_the_apis_definition_impact(store: Store, tmp_path: Path) -> None:
    client, _ = governed(store, tmp_path)
    propose_fcr(store, TickingClock())
    html = client.get("/concept", params={"id": "concept/fcr"}).text
    expected = [a.element.id for a in impact(store, "concept/fcr").affected]
    assert expected  # FCR's definition explains jkg:FCR, which a KPI measures
    assert attribute(html, "data-used-by") == expected


def test_an_unknown_concept_gets_a_page_that_says_so(store: Store, tmp_path: Path) -> None:
    client, _ = governed(store, tmp_path)
    answer = client.get("/concept", params={"id": "concept/none-such", "lang": "en"})
    assert answer.status_code == 404
    assert "concept/none-such" in text(answer.text)


def test_the_diff_of_two_versions_is_the_services_field_by_field(
    store: Store, tmp_path: Path
) -> None:
    client, _ = governed(store, tmp_path)
    clock = TickingClock()
    propose_fcr(store, clock)
    approve_fcr(store, clock)
    html = client.get("/concept/diff", params={"id": "concept/fcr", "from": 1, "to": 3}).text
    expected = service.diff(store, "concept/fcr", 1, 3)
    assert expected
    rows = list(zip(attribute(html, "data-change"), attribute(html, "data-lang"), strict=True))
    assert rows == [(c.field, c.language) for c in expected]
    for change in expected:
        assert f"{change.before}" in text(html)
        assert f"{change.after}" in text(html)
    # A version the concept does not have: the service's refusal, in the page's language.
    said = {"en": "concept/fcr has no version 9", "nl": "concept/fcr heeft geen versie 9"}
    for lang, words in said.items():
        wrong = client.get(
            "/concept/diff", params={"id": "concept/fcr", "from": 1, "to": 9, "lang": lang}
        )
        assert wrong.status_code == 400
        assert words in text(wrong.text)
        assert said["nl" if lang == "en" else "en"] not in text(wrong.text)


def test_the_inbox_lists_proposed_concepts_and_open_change_proposals_for_stewards(
    store: Store, tmp_path: Path
) -> None:
    client, tokens = governed(store, tmp_path)
    propose_fcr(store, TickingClock())
    change = ConceptText(definitions={"en": "The balance of promoters and detractors."})
    outcome = service.propose_change(store, "concept/nps", change, CONTRIBUTOR, rationale="Engels")
    assert outcome.proposal is not None
    signed_in(client, tokens, Role.ARCHITECT)
    assert client.get("/glossary/inbox").status_code == 403
    signed_in(client, tokens, Role.STEWARD)
    html = client.get("/glossary/inbox", params={"lang": "en"}).text
    assert attribute(html, "data-inbox-item") == ["concept/fcr", outcome.proposal.id]
    assert "The balance of promoters and detractors." in text(html)


def test_the_list_is_in_the_order_of_the_labels_shown(store: Store, tmp_path: Path) -> None:
    client, _ = governed(store, tmp_path)
    propose_fcr(store, TickingClock())
    # English: First contact resolution < Net Promoter Score; Dutch: Eerste-contactoplossing too.
    assert attribute(client.get("/glossary?lang=en").text, "data-concept") == [
        "concept/fcr",
        "concept/nps",
    ]
    store.upsert(
        Graph().parse(
            data="<https://id.journeykg.example/concept/fcr> "
            '<http://www.w3.org/2004/02/skos/core#prefLabel> "Zeer snelle oplossing"@nl .',
            format="nt",
        )
    )
    assert attribute(client.get("/glossary?lang=nl").text, "data-concept") == [
        "concept/nps",
        "concept/fcr",
    ]
