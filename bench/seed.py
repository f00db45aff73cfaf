"""Time `manage.py seed` into a fresh database (results: docs/BENCHMARKS.md, "Seeding").

    python bench/seed.py --listings 1000000 --runs 3

The database is DATABASE_URL's. On PostgreSQL it is dropped and created again before every
run and dropped at the end, so its name must start with `classifieds_bench`; a SQLite file is
deleted and created again. Each run migrates the new database, then times the command under
`/usr/bin/time -v` and samples every 0.2 s the memory of the whole process tree (the command
and its worker processes) and the CPU time of the PostgreSQL backends serving the database.
It prints one line per run and the medians. CPU seconds do not depend on what else runs on
the machine; the wall clock does, so note the load average beside it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SCRATCH_PREFIX = "classifieds_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, help="passed to seed --workers")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a scratch database (classifieds_bench...).")
    results = []
    try:
        for run in range(1, args.runs + 1):
            fresh_database(url)
            manage(url, "db", "upgrade", quiet=True)
            result = timed_seed(url, args)
            results.append(result)
            print(f"run {run}: " + ", ".join(f"{k} {v}" for k, v in result.items()), flush=True)
    finally:
        drop_database(url)
    if len(results) > 1:
        medians = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print("median: " + ", ".join(f"{k} {v}" for k, v in medians.items()))


def fresh_database(url: str) -> None:
    drop_database(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        with _admin(url) as connection:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        return
    if not parsed.database.startswith(SCRATCH_PREFIX):
        sys.exit(f"Refusing to drop {parsed.database!r}: its name must start with {SCRATCH_PREFIX}")
    with _admin(url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))


def _admin(url: str):
    admin_url = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    return create_engine(admin_url, isolation_level="AUTOCOMMIT").connect()


def manage(url: str, *args: str, quiet: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=quiet,
    )


def timed_seed(url: str, args: argparse.Namespace) -> dict[str, float]:
    command = ["/usr/bin/time", "-v", sys.executable, "manage.py", "seed"]
    command += ["--listings", str(args.listings), "--seed", str(args.seed)]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(process.pid, make_url(url).database)
    sampler.start()
    _, report = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    if process.returncode:
        sys.exit(f"seed failed:\n{report}")
    largest = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)[1])
    cpu = sum(
        float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", report)[1])
        for kind in ("User", "System")
    )
    return {
        "wall_s": round(wall, 1),
        "listings_per_s": round(args.listings / wall),
        "seed_cpu_s": round(cpu, 1),
        "postgres_cpu_s": round(sampler.backend_cpu_s, 1),
        "largest_process_mb": round(largest / 1024),
        "all_processes_mb": round(sampler.peak_kb / 1024),
    }


class Sampler(threading.Thread):
    """The highest sum of resident memory over a process and all its descendants, and the
    CPU time of the PostgreSQL backends connected to `database` (their last sample each)."""

    def __init__(self, root: int, database: str):
        super().__init__(daemon=True)
        self.root = root
        self.database = database
        self.peak_kb = 0
        self._backend_cpu: dict[int, float] = {}
        self._stopped = threading.Event()

    @property
    def backend_cpu_s(self) -> float:
        return sum(self._backend_cpu.values())

    def run(self) -> None:
        while not self._stopped.wait(0.2):
            processes = _processes()
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in self._tree(processes)))
            for pid, (_, command, cpu) in processes.items():
                if command.startswith("postgres: ") and f" {self.database} " in command:
                    self._backend_cpu[pid] = cpu

    def stop(self) -> None:
        self._stopped.set()
        self.join()

    def _tree(self, processes: dict[int, tuple[int, str, float]]) -> list[int]:
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in processes.items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree


_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command line, CPU seconds) of every process we may read."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / _TICKS
        found[int(entry.name)] = int(fields[1]), command, cpu
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    main()
