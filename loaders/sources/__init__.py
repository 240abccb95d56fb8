"""The sources journeykg syncs from, one module per input format.

:func:`open_source` builds the :class:`~journeykg.loaders.source.Source` a recipe
describes, through the kind's entry in the registry
(:mod:`journeykg.loaders.source_kinds`): every module here declares its kind as a
:class:`~journeykg.loaders.source_kinds.SourceKind` named ``KIND``, registered as an
entry point in pyproject.toml (docs/adding-a-source.md). Every source follows the
contract of :mod:`journeykg.loaders.source`:

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
| ``dynamics``, ``ticket-csv`` | over :mod:`.crm`        | period                             |
| ``survey`` | :mod:`.survey` | one per KPI x period |
| ``bpmn`` | :mod:`.bpmn` | one per process / sub-process and one per role |
"""

from __future__ import annotations

from journeykg.loaders.source_kinds import open_source
from journeykg.loaders.sources._common import (
    InputFile,
    RecipeSource,
    SourceError,
    batches,
    decode,
    input_files,
)

#: What a source module, in journeykg or in a plug-in, builds on (docs/adding-a-source.md).
__all__ = [
    "InputFile",
    "RecipeSource",
    "SourceError",
    "batches",
    "decode",
    "input_files",
    "open_source",
]
