"""Services: the rules the CLI, the API and the web pages share (governance, sync runs, ...).

An entry point calls a service; it never writes to a store itself, so that
two entry points cannot disagree about what a request means.
"""

if __name__ != "journeykg.services":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.services, not {__name__}")
