"""Journey mining: the designed journey against what customers actually do.

Pure functions over pseudonymised traces (docs/mining.md). Nothing here reads a file,
the settings or the store: the readers are in ``journeykg.loaders.event_logs`` and
``journeykg.services.mining_runs`` composes read, mine and write.
"""
