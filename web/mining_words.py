"""The words of the journey-mining page, merged into i18n's catalogue."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "mining": "Klantreis-mining",
        "mining_intro": (
            "Het ontworpen pad van de klantreis, met daarover wat klanten werkelijk deden "
            "(uit een eventlog, gepseudonimiseerd; alleen paden van minstens k klanten)."
        ),
        "mining_of": "Mining van",
        "period": "Periode",
        "mined_periods": "Geminede periodes",
        "no_mining": "Voor deze klantreis is nog niets gemined (`journeykg mine`).",
        "flow_picture": "Ontworpen pad, werkelijke stroom en uitval per stap",
        "flow_desc": (
            "Per stap: hoeveel zaken de stap bereikten; de pijl naar de volgende stap is zo "
            "breed als de zaken die verder gingen, de pijl omlaag als de zaken die hier stopten."
        ),
        "cases": "Zaken",
        "customers": "Klanten",
        "completed": "Voltooid",
        "fitness": "Fitness",
        "reached": "Bereikt",
        "stopped": "Gestopt",
        "drop_off": "Uitval",
        "skipped": "Overgeslagen",
        "looped": "Teruggekeerd",
        "repeated": "Herhaald",
        "out_of_order": "Buiten volgorde",
        "channel_switches": "Kanaalwissels",
        "repeat_contacts": "Herhaalcontacten",
        "contacts": "Contacten",
        "median_to_next": "Mediane tijd tot volgende stap",
        "deviations": "Afwijkingen (zaken)",
        "steps": "Stappen",
        "hours": "uur",
        "show_mining": "Wat klanten werkelijk doen (mining)",
    },
    "en": {
        "mining": "Journey mining",
        "mining_intro": (
            "The journey's designed path, with what customers actually did drawn over it "
            "(from an event log, pseudonymised; only paths of at least k customers)."
        ),
        "mining_of": "Mining of",
        "period": "Period",
        "mined_periods": "Mined periods",
        "no_mining": "Nothing has been mined for this journey yet (`journeykg mine`).",
        "flow_picture": "Designed path, actual flow and drop-off per step",
        "flow_desc": (
            "Per step: how many cases reached it; the arrow to the next step is as wide as "
            "the cases that went on, the arrow down as wide as the cases that stopped there."
        ),
        "cases": "Cases",
        "customers": "Customers",
        "completed": "Completed",
        "fitness": "Fitness",
        "reached": "Reached",
        "stopped": "Stopped",
        "drop_off": "Drop-off",
        "skipped": "Skipped",
        "looped": "Went back",
        "repeated": "Repeated",
        "out_of_order": "Out of order",
        "channel_switches": "Channel switches",
        "repeat_contacts": "Repeat contacts",
        "contacts": "Contacts",
        "median_to_next": "Median time to the next step",
        "deviations": "Deviations (cases)",
        "steps": "Steps",
        "hours": "hours",
        "show_mining": "What customers actually do (mining)",
    },
}
