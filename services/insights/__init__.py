"""Insights, improvement initiatives and the closed feedback loop (docs/insights.md).

One module per job: :mod:`.errors` (the refusals), :mod:`.statuses` (the
lifecycles and their allowed steps), :mod:`.records` (reading them back),
:mod:`.writing` (the shapes gate and the audited write), :mod:`.insights`,
:mod:`.initiatives`, :mod:`.loop` (signals after a sync) and
:mod:`.priorities`. Re-exports nothing: import the module you need.
"""
