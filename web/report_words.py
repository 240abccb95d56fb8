"""The words of the board pack page (/report), merged into i18n's catalogue.

Kept apart from web/i18n.py so that pages added beside it do not edit the same lines.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "report": "Bestuurspakket",
        "report_intro": (
            "Eén document voor het bestuur, als HTML en als PDF: de levenscyclusplaat met "
            "haar cijfers, prioriteiten, gaten in de dekking, openstaande voorstellen en "
            "recente besluiten, een gekozen impactanalyse en een scenariovergelijking. "
            "Dezelfde inhoud als `journeykg report`."
        ),
        "report_choose": "Inhoud kiezen",
        "report_impact": "Impactanalyse van (sleutel of IRI)",
        "report_scenario_a": "Scenario A",
        "report_scenario_b": "Scenario B",
        "report_no_scenario": "geen",
        "report_show": "Pakket samenstellen",
        "report_download": "Downloaden",
        "report_html": "Bestuurspakket als HTML",
        "report_pdf": "Bestuurspakket als PDF",
        "report_pick_two": "Kies twee verschillende scenario's om te vergelijken.",
        "report_contents": "Inhoud",
    },
    "en": {
        "report": "Board pack",
        "report_intro": (
            "One document for the board, as HTML and as PDF: the lifecycle picture with its "
            "figures, priorities, coverage gaps, open proposals and recent decisions, a chosen "
            "impact analysis and a scenario comparison. The same content as `journeykg report`."
        ),
        "report_choose": "Choose the contents",
        "report_impact": "Impact analysis of (key or IRI)",
        "report_scenario_a": "Scenario A",
        "report_scenario_b": "Scenario B",
        "report_no_scenario": "none",
        "report_show": "Compose the pack",
        "report_download": "Download",
        "report_html": "Board pack as HTML",
        "report_pdf": "Board pack as PDF",
        "report_pick_two": "Choose two different scenarios to compare.",
        "report_contents": "Contents",
    },
}
