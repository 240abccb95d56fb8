"""CPU seconds a process, or the local Neo4j server, has used: what the benches report
beside wall times, since on a shared machine the wall time says more about the others
than about the work measured."""

from __future__ import annotations

import os
import resource
from pathlib import Path

#: tools/neo4j/neo4j-server's state directory when JOURNEYKG_NEO4J_STATE names none.
DEFAULT_STATE = "/tmp/journeykg-neo4j"


def process_cpu_seconds(pid: int | str) -> float:
    """User plus system CPU seconds of process ``pid`` so far."""
    # /proc/<pid>/stat: the fields after the command's closing parenthesis (the command
    # may hold spaces); utime and stime are the 12th and 13th of them, in clock ticks.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """User plus system CPU seconds of this process's children that have ended (and of
    theirs it waited for): a command it ran, the import tool, a server it stopped."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def neo4j_server_cpu(default_state: str | None = None) -> float | None:
    """CPU seconds of the Neo4j server whose state directory JOURNEYKG_NEO4J_STATE names
    (else ``default_state``), as tools/neo4j/neo4j-server keeps its pid there; None when
    there is none, or it does not run."""
    state = os.environ.get("JOURNEYKG_NEO4J_STATE", default_state)
    if not state:
        return None
    try:
        return process_cpu_seconds((Path(state) / "pid").read_text().strip())
    except OSError:
        return None
