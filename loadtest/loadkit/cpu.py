"""CPU time of the stack's processes, from /proc/<pid>/stat.

A process's own time plus the time of its children that have exited and
been waited for (cutime, cstime), summed over the stack's root processes
and every living descendant: a PostgreSQL backend or Celery child that ends
mid-run is still counted, through its parent."""

import os
from pathlib import Path

PROC = Path("/proc")


def stat_ticks(stat: str) -> tuple[int, int]:
    """(parent pid, utime+stime+cutime+cstime) from one /proc/<pid>/stat line.
    The command name is in parentheses and may itself hold spaces or ')'."""
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime..cstime are fields 14..17.
    return int(fields[1]), sum(int(f) for f in fields[11:15])


def _all() -> dict[int, tuple[int, int]]:
    table = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                table[int(entry.name)] = stat_ticks((entry / "stat").read_text())
            except (OSError, ValueError):
                continue  # it ended while we were reading
    return table


def tree_ticks(roots: list[int], table: dict[int, tuple[int, int]]) -> int:
    """Ticks of the roots and all their living descendants."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _ticks) in table.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = set(), [r for r in roots if r in table]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(children.get(pid, []))
    return sum(table[pid][1] for pid in seen)


def cpu_seconds(roots: list[int]) -> float:
    return tree_ticks(roots, _all()) / os.sysconf("SC_CLK_TCK")


def busy_ticks(proc_stat: str) -> int:
    """Busy ticks of all CPUs from /proc/stat's first line (everything but
    idle and iowait; guest time is already inside user)."""
    fields = [int(f) for f in proc_stat.splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal


def machine_busy_seconds() -> float:
    """How much CPU the whole machine spent: with the stack's and the load
    generator's share, what is left was spent by others (a disturbed run)."""
    return busy_ticks((PROC / "stat").read_text()) / os.sysconf("SC_CLK_TCK")
