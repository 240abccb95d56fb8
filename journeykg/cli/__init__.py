"""The ``journeykg`` command line; ``journeykg.cli.app:app`` is the console script."""
