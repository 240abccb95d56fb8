"""The impact explorer's and the what-if page's words in Dutch and English (merged by i18n)."""

from __future__ import annotations

#: The name of each class of element, as the explorer writes it beside its shape.
CLASS_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "Journey": "Klantreis",
        "Step": "Stap",
        "Touchpoint": "Contactmoment",
        "BackofficeProcess": "Proces",
        "ITSystem": "IT-systeem",
        "Role": "Rol",
        "ContactReason": "Contactreden",
        "Phase": "Fase",
        "LifecycleStage": "Levensfase",
        "KPI": "KPI",
        "KPIType": "KPI-soort",
        "Owner": "Eigenaar",
        "Channel": "Kanaal",
        "Concept": "Begrip",
    },
    "en": {
        "Journey": "Journey",
        "Step": "Step",
        "Touchpoint": "Touchpoint",
        "BackofficeProcess": "Process",
        "ITSystem": "IT system",
        "Role": "Role",
        "ContactReason": "Contact reason",
        "Phase": "Phase",
        "LifecycleStage": "Lifecycle stage",
        "KPI": "KPI",
        "KPIType": "KPI type",
        "Owner": "Owner",
        "Channel": "Channel",
        "Concept": "Concept",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "ex_explorer": "Impactverkenner",
        "ex_explorer_intro": (
            "Zoek een element op zijn naam en zie wat een wijziging eraan raakt: "
            "per stap een kolom, het pad naar een gekozen element gemarkeerd."
        ),
        "ex_search_label": "Naam bevat",
        "ex_search_in": "Zoek in",
        "ex_both_languages": "Nederlands en Engels",
        "ex_dutch": "Nederlands",
        "ex_english": "Engels",
        "ex_search": "Zoek",
        "ex_no_matches": "Geen element met die naam.",
        "ex_matched_label": "Gevonden naam",
        "ex_class": "Soort",
        "ex_direction": "Richting",
        "ex_downstream": "Wat raakt een wijziging (stroomafwaarts)",
        "ex_upstream": "Waar hangt het van af (stroomopwaarts)",
        "ex_max_hops": "Hoogstens stappen",
        "ex_max_hops_help": "Leeg: onbeperkt",
        "ex_relations": "Relaties",
        "ex_all_relations": "Geen vinkje: alle relaties",
        "ex_apply": "Toon",
        "ex_hop": "Stap",
        "ex_hops": "Stappen",
        "ex_changed_element": "Gewijzigd element",
        "ex_affected_count": "Geraakte elementen",
        "ex_graph_label": "Gelaagde graaf van de impact",
        "ex_choose_element_hint": (
            "Kies een element (klik, of Tab en Enter) om de paden ernaartoe te markeren."
        ),
        "ex_paths_to": "Paden naar",
        "ex_path_count": "Aantal paden",
        "ex_at_least": "minstens",
        "ex_no_focus": "Geen element gekozen.",
        "ex_clear_focus": "Markering weghalen",
        "ex_as_list": "Als lijst",
        "ex_relation": "Relatie",
        "ex_via_element": "Via",
        "ex_shortest_path": "Kortste pad",
        "ex_blast_radius": "Straal van de impact",
        "ex_radius_only_downstream": "Alleen stroomafwaarts: de kosten van een wijziging.",
        "ex_owners_to_notify": "Te informeren eigenaren",
        "ex_no_role": "zonder rol",
        "ex_no_owners": "Geen eigenaar op de paden.",
        "ex_cost_at_stake": "Kosten die op het spel staan",
        "ex_hub_intro": (
            "Eerst de aantallen per stap en soort (een groot antwoord komt zo). "
            "Kies een groep om haar elementen per pagina te zien."
        ),
        "ex_count_per_class": "Aantal per soort",
        "ex_cluster": "Groep",
        "ex_elements_of": "Elementen van",
        "ex_previous": "Vorige",
        "ex_next": "Volgende",
        "ex_explore_from": "Verken vanaf hier",
        "ex_incomplete": "De staplimiet sneed het antwoord af; niet gevolgde verbindingen",
        "ex_complete": "Volledig antwoord",
        "ex_owners_in_hub": (
            "De eerste 50, dichtstbij eerst; per rol gegroepeerd en met de straal van de impact "
            "bij antwoorden tot {limit} elementen (beperk stappen of relaties)."
        ),
        "ex_bad_direction": "kies stroomafwaarts of stroomopwaarts",
        "ex_bad_max_hops": "een geheel getal van 0 of meer",
        "ex_bad_relation": "onbekende relatie",
        "ex_bad_cluster": "die groep is er niet",
        "ex_not_an_impact_root": "een impactvraag kan hier niet beginnen",
        "ex_refused": "Geweigerd",
        "ex_as_clusters": "Toon als groepen",
        "ex_as_elements": "Toon element voor element",
    },
    "en": {
        "ex_explorer": "Impact explorer",
        "ex_explorer_intro": (
            "Search an element by its name and see what a change to it affects: "
            "one column per hop, the path to a chosen element highlighted."
        ),
        "ex_search_label": "Name contains",
        "ex_search_in": "Search in",
        "ex_both_languages": "Dutch and English",
        "ex_dutch": "Dutch",
        "ex_english": "English",
        "ex_search": "Search",
        "ex_no_matches": "No element with that name.",
        "ex_matched_label": "Name found",
        "ex_class": "Class",
        "ex_direction": "Direction",
        "ex_downstream": "What a change affects (downstream)",
        "ex_upstream": "What it depends on (upstream)",
        "ex_max_hops": "At most hops",
        "ex_max_hops_help": "Empty: no limit",
        "ex_relations": "Relations",
        "ex_all_relations": "None ticked: every relation",
        "ex_apply": "Show",
        "ex_hop": "Hop",
        "ex_hops": "Hops",
        "ex_changed_element": "Changed element",
        "ex_affected_count": "Affected elements",
        "ex_graph_label": "Layered graph of the impact",
        "ex_choose_element_hint": (
            "Choose an element (click, or Tab and Enter) to highlight the paths to it."
        ),
        "ex_paths_to": "Paths to",
        "ex_path_count": "Number of paths",
        "ex_at_least": "at least",
        "ex_no_focus": "No element chosen.",
        "ex_clear_focus": "Clear the highlight",
        "ex_as_list": "As a list",
        "ex_relation": "Relation",
        "ex_via_element": "Via",
        "ex_shortest_path": "Shortest path",
        "ex_blast_radius": "Blast radius",
        "ex_radius_only_downstream": "Downstream only: the cost of a change.",
        "ex_owners_to_notify": "Owners to notify",
        "ex_no_role": "without a role",
        "ex_no_owners": "No owner on the paths.",
        "ex_cost_at_stake": "Cost at stake",
        "ex_hub_intro": (
            "First the counts per hop and class (a large answer comes so). "
            "Choose a cluster to see its elements a page at a time."
        ),
        "ex_count_per_class": "Count per class",
        "ex_cluster": "Cluster",
        "ex_elements_of": "Elements of",
        "ex_previous": "Previous",
        "ex_next": "Next",
        "ex_explore_from": "Explore from here",
        "ex_incomplete": "The hop limit cut the answer; edges not followed",
        "ex_complete": "Complete answer",
        "ex_owners_in_hub": (
            "The first 50, nearest first; grouped by role, with the blast radius, for answers "
            "of up to {limit} elements (limit the hops or relations)."
        ),
        "ex_bad_direction": "choose downstream or upstream",
        "ex_bad_max_hops": "a whole number, 0 or more",
        "ex_bad_relation": "unknown relation",
        "ex_bad_cluster": "there is no such cluster",
        "ex_not_an_impact_root": "an impact question cannot start here",
        "ex_refused": "Refused",
        "ex_as_clusters": "Show as clusters",
        "ex_as_elements": "Show element by element",
    },
}


#: The what-if page's words (web/whatif_pages.py).
WHATIF_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "wi_title": "Wat als",
        "wi_intro": (
            "Stel een set wijzigingen samen en zie vandaag tegenover erna, zonder "
            "iets te schrijven; bewaar haar en vergelijk twee bewaarde scenario's."
        ),
        "wi_change_set": "Wijzigingen",
        "wi_empty": "Nog geen wijziging.",
        "wi_remove": "Weghalen",
        "wi_add_change": "Wijziging toevoegen",
        "wi_op": "Soort wijziging",
        "wi_op_retire": "Uitfaseren",
        "wi_op_moveTouchpoints": "Contactmomenten verhuizen",
        "wi_op_setCost": "Kosten zetten",
        "wi_op_addDependency": "Afhankelijkheid toevoegen",
        "wi_op_removeDependency": "Afhankelijkheid weghalen",
        "wi_fields_help": (
            "Vul de velden van de gekozen soort in (een sleutel zoals "
            "process/kredietcheck); de rest blijft leeg."
        ),
        "wi_field_element": "Element",
        "wi_field_fromProcess": "Van proces",
        "wi_field_toProcess": "Naar proces",
        "wi_field_process": "Proces",
        "wi_field_dependsOn": "Hangt af van",
        "wi_field_amountEur": "Bedrag (EUR)",
        "wi_field_period": "Jaar",
        "wi_add_and_evaluate": "Toevoegen en doorrekenen",
        "wi_today_after": "Vandaag tegenover erna",
        "wi_today": "Vandaag",
        "wi_after": "Erna",
        "wi_difference": "Verschil",
        "wi_touched": "Direct geraakt",
        "wi_retired": "Uitgefaseerd",
        "wi_newly": "Nieuw geraakt",
        "wi_no_longer": "Niet meer geraakt",
        "wi_save": "Bewaren",
        "wi_name": "Naam",
        "wi_save_needs": (
            "Bewaren vraagt aanmelden met een rol die scenario's mag bewaren "
            "(architect, steward, beheerder)."
        ),
        "wi_saved_as": "Bewaard als",
        "wi_saved": "Bewaarde scenario's",
        "wi_none_saved": "Nog geen bewaard scenario.",
        "wi_scenario": "Scenario",
        "wi_compare": "Vergelijken",
        "wi_compare_title": "Twee scenario's naast elkaar",
        "wi_back": "Terug naar Wat als",
        "wi_cost_difference": "Kosten op het spel na B min na A",
        "wi_only_in": "Alleen geraakt na",
        "wi_unknown_scenario": "Geen bewaard scenario met die sleutel",
        "wi_unknown_element": "onbekend element {ident}",
        "wi_wrong_class": "{ident} is een {is_}, geen {wanted}",
        "wi_required": "verplicht voor deze soort wijziging",
        "wi_bad_value": "ongeldige waarde",
        "wi_needs_name": "een scenario heeft een naam nodig",
        "wi_not_possible": "deze wijziging kan niet",
        "wi_stale": "een bewaard scenario past niet meer op de graaf",
    },
    "en": {
        "wi_title": "What if",
        "wi_intro": (
            "Compose a change set and see today against after, without writing "
            "anything; save it and compare two saved scenarios."
        ),
        "wi_change_set": "Changes",
        "wi_empty": "No change yet.",
        "wi_remove": "Remove",
        "wi_add_change": "Add a change",
        "wi_op": "Kind of change",
        "wi_op_retire": "Retire",
        "wi_op_moveTouchpoints": "Move touchpoints",
        "wi_op_setCost": "Set cost",
        "wi_op_addDependency": "Add a dependency",
        "wi_op_removeDependency": "Remove a dependency",
        "wi_fields_help": (
            "Fill in the fields of the chosen kind (a key such as "
            "process/kredietcheck); leave the rest empty."
        ),
        "wi_field_element": "Element",
        "wi_field_fromProcess": "From process",
        "wi_field_toProcess": "To process",
        "wi_field_process": "Process",
        "wi_field_dependsOn": "Depends on",
        "wi_field_amountEur": "Amount (EUR)",
        "wi_field_period": "Year",
        "wi_add_and_evaluate": "Add and evaluate",
        "wi_today_after": "Today against after",
        "wi_today": "Today",
        "wi_after": "After",
        "wi_difference": "Difference",
        "wi_touched": "Touched directly",
        "wi_retired": "Retired",
        "wi_newly": "Newly affected",
        "wi_no_longer": "No longer affected",
        "wi_save": "Save",
        "wi_name": "Name",
        "wi_save_needs": (
            "Saving needs signing in with a role that may keep scenarios (architect, "
            "steward, admin)."
        ),
        "wi_saved_as": "Saved as",
        "wi_saved": "Saved scenarios",
        "wi_none_saved": "No saved scenario yet.",
        "wi_scenario": "Scenario",
        "wi_compare": "Compare",
        "wi_compare_title": "Two scenarios side by side",
        "wi_back": "Back to What if",
        "wi_cost_difference": "Cost at stake after B minus after A",
        "wi_only_in": "Affected only after",
        "wi_unknown_scenario": "No saved scenario with that key",
        "wi_unknown_element": "unknown element {ident}",
        "wi_wrong_class": "{ident} is a {is_}, not a {wanted}",
        "wi_required": "required for this kind of change",
        "wi_bad_value": "not a valid value",
        "wi_needs_name": "a scenario needs a name",
        "wi_not_possible": "this change cannot be made",
        "wi_stale": "a saved scenario no longer fits the graph",
    },
}

for _language, _words in WHATIF_WORDS.items():
    WORDS[_language].update(_words)
