"""Reading event logs for journey mining: OCEL 2.0 (JSON, XML, SQLite), XES and CRM CSV.

Each format has its reader module yielding :class:`~.records.LogEvent` one at a time;
:mod:`.mapping` turns them into pseudonymised, mapped mining events as they stream past.
Why the standard library rather than rustxes or r4pm: docs/mining.md, "Readers".
"""
