"""Validation: what can be wrong with input (Problem) and the SHACL gate every write passes.

The lowest layer with logic in it: graph/, loaders/ and services/ all use it,
and it uses none of them.
"""

if __name__ != "journeykg.validation":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.validation, not {__name__}")
