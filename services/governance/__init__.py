"""Governance of definitions: the workflow, history and as-of, integrity, glossary reads.

:mod:`.service` has one function per request the CLI and the API serve;
``Governance(store, clock)`` (:mod:`.workflow`) runs the workflow beneath it;
:mod:`.history` answers what a concept meant when; :mod:`.integrity` guards
references; :mod:`.transitions` is the table of legal steps. Nothing is
re-exported here: importing the package stays free of rdflib and pySHACL, so
callers import each name from the module that defines it.
"""
