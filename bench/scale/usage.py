"""What the stack's parts use, read from /proc: peak memory, sampled while the benchmark
runs, and CPU time over a stretch of it.

Each part is a set of processes (a process tree, or PostgreSQL's server processes serving
this benchmark); once a second the sampler sums their proportional set size (PSS: pages
shared by several processes, such as PostgreSQL's shared buffers or the code gunicorn's
workers inherit, are split between them, so the sum counts them once) and their RSS (which
counts shared pages in every process), and keeps the largest sums seen.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The direct children of `pid`."""
    found = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children(current)
    return pids


def footprint(pids: Iterable[int]) -> tuple[int, int]:
    """(PSS, RSS) in bytes, summed over the processes still alive."""
    pss = rss = 0
    for pid in pids:
        try:
            lines = (PROC / str(pid) / "smaps_rollup").read_text().splitlines()
        except OSError:
            continue  # gone since it was listed
        for line in lines:
            if line.startswith("Pss:"):
                pss += int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss += int(line.split()[1]) * 1024
    return pss, rss


def cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU time used so far by the processes still alive."""
    ticks = 0
    for pid in pids:
        try:
            stat = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / TICK


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent not idle, all cores, since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK


class StackUsage:
    """Samples each named part's memory every `interval` seconds in a thread until `stop()`,
    and reads their CPU time when asked."""

    def __init__(self, interval: float = 1.0) -> None:
        self.parts: dict[str, Callable[[], list[int]]] = {}
        self.peak: dict[str, tuple[int, int]] = {}
        self.interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, name: str, pids: Callable[[], list[int]]) -> None:
        """Sample the processes `pids()` lists (called at every sample) as part `name`."""
        with self._lock:
            self.parts[name] = pids

    def start(self) -> None:
        self._thread.start()

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of each part, of this process (the load generator) and of the
        whole machine; subtract two readings for a stretch of the run."""
        with self._lock:
            parts = dict(self.parts)
        used = {name: cpu_seconds(pids()) for name, pids in parts.items()}
        used["load generator (this process)"] = time.process_time()
        used["machine"] = machine_busy_seconds()
        return used

    def stop(self) -> dict[str, tuple[int, int]]:
        self._stop.set()
        self._thread.join(timeout=30)
        return dict(self.peak)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        with self._lock:
            parts = dict(self.parts)
        for name, pids in parts.items():
            try:
                pss, rss = footprint(pids())
            except Exception:  # a part that cannot be listed now is sampled next time
                continue
            old_pss, old_rss = self.peak.get(name, (0, 0))
            self.peak[name] = (max(pss, old_pss), max(rss, old_rss))
