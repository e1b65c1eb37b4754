"""CPU time spent per process group during a benchmark run, read from Linux's /proc: the
server's workers, the database's processes and this load generator, so a ratio can be
explained by where each request's CPU goes. (A process that ends during a run takes its
CPU time with it; the servers and the database keep theirs for the whole run.)"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # utime and stime are the 14th and 15th fields; the text after ")" starts at field 3.
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def tree(pid: int) -> list[int]:
    pids = [pid]
    for child in _children(pid):
        pids += tree(child)
    return pids


def postgres(admin_url: str, database: str):
    """A function listing PostgreSQL's processes that work for ``database``: its backends
    and the server's own background processes (WAL writer, checkpointer, ...), but not
    the backends of other databases on the same server."""
    import psycopg

    def pids() -> list[int]:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s OR datname IS NULL",
                (database,),
            ).fetchall()
        return [pid for (pid,) in rows]

    return pids


class Meter:
    """CPU seconds each named group of processes used between ``start`` and ``stop``;
    ``groups`` maps a name to a function that lists the group's processes now."""

    def __init__(self, groups: dict):
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}

    def _read(self) -> dict[str, dict[int, float]]:
        return {name: {pid: _seconds(pid) for pid in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> dict[str, float]:
        after = self._read()
        return {
            name: sum(secs - self.before[name].get(pid, 0.0) for pid, secs in now.items())
            for name, now in after.items()
        }
