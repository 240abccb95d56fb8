"""The ``journeykg`` command line; ``journeykg.cli.app:main`` is the console script."""
