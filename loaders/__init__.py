"""Loaders: read a source, map it to triples, pass the SHACL gate, write to the store.

Nothing is re-exported here: importing the package must not import rdflib or
pySHACL, so callers import each name from the module that defines it
(:mod:`.pipeline` for files, :mod:`.sync` for sources).
"""

if __name__ != "journeykg.loaders":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.loaders, not {__name__}")
