"""The sources journeykg syncs from, one module per input format.

:func:`open_source` builds the :class:`~journeykg.loaders.source.Source` a recipe
describes. Every source follows the contract of :mod:`journeykg.loaders.source`:

- ``read(bookmark)`` yields :class:`~journeykg.loaders.source.SourceBatch` es of
  records keyed on ``(source, external_id)``; each (subject, predicate) is
  stated by one record only per read, so a batch never overwrites another.
- A record that cannot be mapped becomes a :class:`~journeykg.validation.problems.Problem`
  in ``SourceBatch.rejected`` (file, record index/id/line, field, rule) and
  the other records go on; the engine decides what strict mode does.
- Values the recipe does not map are counted in ``SourceBatch.unmapped``.
- When the input as a whole cannot be trusted (a missing file, a broken page
  chain, a file that does not parse), ``read`` raises
  :class:`~journeykg.loaders.sources._common.SourceError` (a
  :class:`~journeykg.validation.problems.LoadError`) before yielding anything:
  writing part of it would write wrong aggregates or retire live records.

| kind | module | records |
|---|---|---|
| ``rdf`` | :mod:`.rdf` | one per subject, external id = the subject's key |
| ``csv-bundle`` | :mod:`.csv_bundle` | one per row (per element), external id = its key |
| ``salesforce``, ``hubspot``, | :mod:`.salesforce`, ... | one per contact reason x channel x |
| ``dynamics``                 | over :mod:`.crm`        | period                             |
| ``survey`` | :mod:`.survey` | one per KPI x period |
| ``bpmn`` | :mod:`.bpmn` | one per process / sub-process and one per role |
"""

from __future__ import annotations

from pathlib import Path

from journeykg.ids import Identifiers
from journeykg.loaders.recipe import Recipe
from journeykg.loaders.source import Source
from journeykg.loaders.sources._common import SourceError


def open_source(
    recipe: Recipe,
    ids: Identifiers,
    *,
    payload: bytes | None = None,
    recipe_dir: Path | None = None,
) -> Source:
    """The source ``recipe`` describes.

    With ``payload`` (the body of ``POST /sync/{source}``) it reads that one
    input in the recipe's format instead of the recipe's files. Input paths
    are relative to ``recipe_dir`` (default: the directory the recipe was
    loaded from, else the working directory). Nothing is read until
    ``read`` is called.
    """
    if recipe.kind == "rdf":
        from journeykg.loaders.sources.rdf import RdfSource

        return RdfSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "csv-bundle":
        from journeykg.loaders.sources.csv_bundle import CsvBundleSource

        return CsvBundleSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "salesforce":
        from journeykg.loaders.sources.salesforce import SalesforceSource

        return SalesforceSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "hubspot":
        from journeykg.loaders.sources.hubspot import HubSpotSource

        return HubSpotSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "dynamics":
        from journeykg.loaders.sources.dynamics import DynamicsSource

        return DynamicsSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "survey":
        from journeykg.loaders.sources.survey import SurveySource

        return SurveySource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    if recipe.kind == "bpmn":
        from journeykg.loaders.sources.bpmn import BpmnSource

        return BpmnSource(recipe, ids, payload=payload, recipe_dir=recipe_dir)
    raise SourceError(  # pragma: no cover - Recipe.kind is a closed Literal
        f"unknown source kind {recipe.kind!r}", []
    )


__all__ = ["SourceError", "open_source"]
