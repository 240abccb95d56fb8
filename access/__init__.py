"""Who may do what: API tokens, roles and the permissions they grant."""

if __name__ != "journeykg.access":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.access, not {__name__}")
