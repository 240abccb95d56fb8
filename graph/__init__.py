"""The graph layer: one store interface, two backends, and the queries on top.

Nothing is re-exported here: importing the package must not import rdflib
(the command line starts without it), so callers import each name from the
module that defines it (:mod:`.store`, :mod:`.errors`, :mod:`.model`, ...).
"""

if __name__ != "journeykg.graph":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.graph, not {__name__}")
