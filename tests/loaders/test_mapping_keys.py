"""The keys a CRM recipe may map to, and what a sync says when it maps to one the store lacks;
on both backends, with the corpus' Salesforce export read by the real source."""

from __future__ import annotations

from pathlib import Path

from journeykg.graph.store import Store
from journeykg.loaders.mapping_keys import MappableKey, mappable_keys
from journeykg.loaders.recipe import load_recipe
from journeykg.loaders.sources import open_source
from journeykg.loaders.sync import SyncOptions, SyncReport, sync
from tests.conftest import read_fixture
from tests.loaders import crm_corpus as corpus
from tests.loaders.test_crm_corpus import SALESFORCE


def framework(store: Store) -> Store:
    store.upsert(read_fixture("sync_framework.ttl"))
    return store


def test_the_keys_a_recipe_may_map_to_are_the_stores_reasons_and_channels(store: Store) -> None:
    assert mappable_keys(framework(store)) == {
        "reasons": [
            MappableKey("reason/nummer-meenemen", "Nummer meenemen"),
            MappableKey("reason/rekening-begrijpen", "Rekening begrijpen"),
        ],
        "channels": [
            MappableKey("channel/chat", "Chat"),
            MappableKey("channel/email", "E-mail"),
            MappableKey("channel/telefoon", "Telefoon"),
            MappableKey("channel/web", "Mijn Polder (website)"),
        ],
    }


def _sync(store: Store, directory: Path, recipe_text: str) -> SyncReport:
    corpus.salesforce_rest(directory, corpus.CASES)
    path = directory / "recipe.yaml"
    path.write_text(recipe_text, encoding="utf-8")
    source = open_source(load_recipe(path), store.ids, recipe_dir=directory)
    return sync(store, source, SyncOptions(mode="full"))


def test_an_unknown_reason_key_says_it_is_unknown_and_lists_the_known_ones(
    store: Store, tmp_path: Path
) -> None:
    recipe = SALESFORCE.replace(
        "Porting: reason/nummer-meenemen", "Porting: reason/nummer-mee-nemen"
    )
    report = _sync(framework(store), tmp_path, recipe)
    assert (report.status, report.written, report.rejected) == ("rejected", 3, 1)
    (rejection,) = report.rejections
    (problem,) = rejection.problems
    assert (problem.property, problem.rule) == (
        "jkg:volumeOf",
        "jkgsh:ContactVolume-volumeOf (ClassConstraintComponent)",
    )
    assert problem.message == (
        "'reason/nummer-mee-nemen' is not a contact reason in the store: the recipe maps a "
        "value to an unknown key (did you mean 'reason/nummer-meenemen'?). The contact "
        "reason keys a recipe may map to are: reason/nummer-meenemen, "
        "reason/rekening-begrijpen (journeykg sync-keys lists them with their labels)"
    )


def test_an_unknown_channel_key_names_the_channels(store: Store, tmp_path: Path) -> None:
    recipe = SALESFORCE.replace("Email: channel/email", "Email: channel/mail")
    report = _sync(framework(store), tmp_path, recipe)
    (rejection,) = report.rejections
    (problem,) = rejection.problems
    assert problem.property == "jkg:viaChannel"
    assert problem.message.startswith(
        "'channel/mail' is not a channel in the store: the recipe maps a value to an unknown "
        "key (did you mean 'channel/email'?). The channel keys a recipe may map to are: "
        "channel/chat, channel/email, channel/telefoon, channel/web"
    )


def test_a_catch_all_maps_every_value_not_listed_and_is_counted(
    store: Store, tmp_path: Path
) -> None:
    recipe = SALESFORCE.replace(
        "Porting: reason/nummer-meenemen}",
        'Porting: reason/nummer-meenemen, "*": reason/nummer-meenemen}',
    )
    report = _sync(framework(store), tmp_path, recipe)
    assert (report.status, report.rejected) == ("ok", 0)
    # Outage (case 6, web, April) now counts on the catch-all's reason
    assert report.unmapped == {"Reason='Outage' (caught by '*')": 1}
    assert report.written == 5
