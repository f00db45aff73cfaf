"""The run's table in markdown, and its place in docs/BENCHMARKS.md ("A million listings")."""

from __future__ import annotations

import math
import os
import platform
import re
import shlex
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psycopg
from elasticsearch import Elasticsearch

from settings import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
HEADING = "## A million listings"
# Text after this line in the section is written by hand and kept when a run rewrites the table.
NOTES = "<!-- bench.scale writes everything above this line; what follows is kept on a re-run -->"


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else math.nan
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@dataclass
class Machine:
    """What the figures were measured on, and how busy it was."""

    env: dict[str, str]
    date: str = ""
    load_before: tuple[float, ...] = ()
    load_after: tuple[float, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def before(cls, env: dict[str, str]) -> Machine:
        facts = cls(env, date=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        facts.load_before = os.getloadavg()
        es = Elasticsearch(env["ELASTICSEARCH_URL"], request_timeout=60)
        nodes = list(es.nodes.info(metric="jvm")["nodes"].values())
        heap = sum(node["jvm"]["mem"]["heap_max_in_bytes"] for node in nodes)
        conninfo = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo) as connection:
            server = connection.execute("SHOW server_version").fetchone()[0].split()[0]
            listings = connection.execute("SELECT count(*) FROM listings").fetchone()[0]
            searchable = connection.execute(
                "SELECT count(*) FROM listings WHERE status = 'active' AND expires_at > now()"
            ).fetchone()[0]
        facts.versions = {
            "Python": platform.python_version(),
            "PostgreSQL": server,
            "Elasticsearch": f"{nodes[0]['version']} ({heap / 2**20:,.0f} MB heap)",
            "gunicorn": version("gunicorn"),
            "aiohttp": version("aiohttp"),
        }
        documents = es.count(index=env["ELASTICSEARCH_INDEX"])["count"]
        facts.counts = {"listings": listings, "active": searchable, "documents": documents}
        return facts

    def after(self) -> None:
        self.load_after = os.getloadavg()

    def line(self) -> str:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if "model name" in ln), "?")
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
        versions = ", ".join(f"{name} {number}" for name, number in self.versions.items())
        loads = [
            " / ".join(f"{x:.1f}" for x in load) for load in (self.load_before, self.load_after)
        ]
        return (
            f"Measured on {self.date} on {os.cpu_count()} cores ({cpu}), {memory:.0f} GB of RAM; "
            f"{versions}; all on the same machine. Load average (1/5/15 min) before the "
            f"measurements {loads[0]}, after {loads[1]}. The database held "
            f"{self.counts['listings']:,} listings ({self.counts['active']:,} active and "
            f"unexpired), the index {self.counts['documents']:,} documents."
        )


def _ms(values: list[float], *qs: int) -> str:
    return " / ".join(f"{percentile(values, q):,.1f}" for q in qs) + " ms"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _ratio(a: list[float], b: list[float], q: int) -> float:
    return percentile(a, q) / percentile(b, q)


def _cpu(run) -> str:
    """Milliseconds of CPU per answer by part; what the machine spent beyond the parts was
    other work (other developers' tests, the kernel's share not charged to a process)."""
    answers = len(run.ms) or 1
    used = {name: seconds for name, seconds in run.cpu.items() if name != "machine"}
    parts = [f"{name} {seconds * 1000 / answers:.1f}" for name, seconds in used.items()]
    rest = (run.cpu.get("machine", 0.0) - sum(used.values())) * 1000 / answers
    return ", ".join(parts) + f"; everything else on the machine {rest:.1f} ms"


def _load_command(loaded: dict, command: str) -> str:
    """The command that loaded the data, if it was another run's (--load-only, --keep)."""
    earlier = loaded.get("command")
    return f"`{earlier}`, " if earlier and earlier != command else ""


def section(args, facts: Machine, results: dict) -> str:
    """The whole section: heading, command, machine, table."""
    loaded, search = results["loaded"], results["search"]
    one, zipf, unique = search["one"], search["zipf"], search["unique"]
    sample, lag = results["sample"], results["lag"]
    rows: list[tuple[str, str, str, str]] = []

    seeded = loaded["listings"] / loaded["seed_seconds"]
    rows.append(
        (
            f"Seed: `manage.py seed --listings {loaded['listings']} --seed 1`, whole command",
            f"{loaded['seed_seconds']:,.0f} s ({seeded:,.0f} listings/s)",
            "a million in < 3 min (≥ 5,556 listings/s)",
            _met(seeded >= 1_000_000 / 180),
        )
    )
    rate = loaded["reindex_documents_per_second"]
    rows.append(
        (
            "Reindex: `manage.py reindex` (its documents/s line; whole command beside)",
            f"{rate:,.0f} documents/s ({loaded['reindex_seconds']:,.0f} s)",
            "≥ 10,000 documents/s",
            _met(rate >= 10_000),
        )
    )
    rows.append(
        (
            "Search, concurrency 1: the 200-query mix and 200 other searches, uncached "
            f"({len(one.ms)} answers), "
            "p50 / p95 / p99",
            _ms(one.ms, 50, 95, 99),
            "p95 ≤ 50 ms",
            _met(percentile(one.ms, 95) <= 50),
        )
    )
    rows.append(("Elasticsearch's `took` of the same", _ms(one.took, 50, 95, 99), "", ""))
    layer = (_ratio(one.ms, one.took, 50), _ratio(one.ms, one.took, 95))
    rows.append(
        (
            "Our layer: endpoint ÷ `took`, p50 / p95",
            f"{layer[0]:.2f}× / {layer[1]:.2f}×",
            "≤ 1.5×",
            _met(max(layer) <= 1.5),
        )
    )
    rows.append(
        (
            f"Search, concurrency 16, Zipf over {1_000:,} distinct searches "
            f"({len(zipf.ms):,} answers): rate, p50 / p95 (`took` p50 / p95)",
            f"{zipf.per_second:,.0f}/s, {_ms(zipf.ms, 50, 95)} ({_ms(zipf.took, 50, 95)})",
            "≥ 150/s with p95 ≤ 150 ms",
            _met(zipf.per_second >= 150 and percentile(zipf.ms, 95) <= 150),
        )
    )
    rows.append(
        (
            f"Search, concurrency 16, no repeats ({len(unique.ms):,} distinct searches): "
            "rate, p50 / p95 (`took` p50 / p95)",
            f"{unique.per_second:,.0f}/s, {_ms(unique.ms, 50, 95)} ({_ms(unique.took, 50, 95)})",
            "≥ 70/s",
            _met(unique.per_second >= 70),
        )
    )
    for label, run in (("concurrency 1", one), ("Zipf", zipf), ("no repeats", unique)):
        rows.append((f"CPU per answer, {label} (2 cores = 2,000 ms a second)", _cpu(run), "", ""))
    n = len(sample["naive"])
    es_ms, naive_ms, embedded_ms = sample["elasticsearch"], sample["naive"], sample["embedded"]
    naive_ratio = (_ratio(naive_ms, es_ms, 50), _ratio(naive_ms, es_ms, 95))
    rows.append(
        (
            f"Naive PostgreSQL (ILIKE + a query per facet) on a **sample of {n}** of the mix's "
            "queries, p50 / p95; ÷ the endpoint on the same queries",
            f"{_ms(naive_ms, 50, 95)}; {naive_ratio[0]:,.1f}× / {naive_ratio[1]:,.1f}× "
            f"(endpoint {_ms(es_ms, 50, 95)})",
            "≥ 20× slower than ours",
            _met(naive_ratio[0] >= 20),
        )
    )
    embedded_ratio = (_ratio(embedded_ms, es_ms, 50), _ratio(embedded_ms, es_ms, 95))
    rows.append(
        (
            f"Embedded backend (PostgreSQL full text, in process), the same {n} queries",
            f"{_ms(embedded_ms, 50, 95)}; {embedded_ratio[0]:,.1f}× / "
            f"{embedded_ratio[1]:,.1f}× the endpoint",
            "",
            "",
        )
    )
    for zoom, run in results["clusters"].items():
        rows.append(
            (
                f"Map clusters at zoom {zoom}, the first {len(run.ms)} queries of the mix, "
                "one at a time, p50 / p95",
                _ms(run.ms, 50, 95),
                "",
                "",
            )
        )
    lags, acks, searched = lag["lags"], lag["acks"], lag["searches"]
    rows.append(
        (
            f"Commit to searchable, {lag['posted']:,} listings at {args.write_rate:g}/s over "
            f"{lag['seconds']:.0f} s while searches ran (next row); p50 / p95 / max "
            "(written by the worker: p50 / p95)",
            " / ".join(f"{percentile(lags, q):.2f}" for q in (50, 95))
            + f" / {max(lags):.2f} s ({percentile(acks, 50):.2f} / {percentile(acks, 95):.2f} s)"
            + ("" if len(lags) == lag["posted"] else f"; **{lag['posted'] - len(lags)} unseen**"),
            "p95 ≤ 1.5 s",
            _met(percentile(lags, 95) <= 1.5 and len(lags) == lag["posted"]),
        )
    )
    rows.append(
        (
            f"Searches meanwhile (Zipf mix, asked at {args.lag_search_rate:g}/s, ≤ 16 in "
            "flight): rate, p50 / p95",
            f"{searched.per_second:,.0f}/s, {_ms(searched.ms, 50, 95)}",
            "",
            "",
        )
    )
    cycles = [seconds for seconds, _, _ in results["alerts"]]
    steps = results["alerts"][-1][1]
    rows.append(
        (
            "One alert cycle: 10,000 saved searches, 1,000 new listings (bench/alerts.py; "
            f"{len(cycles)} after a warm-up)",
            ", ".join(f"{s:.1f} s" for s in cycles)
            + " ("
            + ", ".join(f"{name} {s:.1f}" for name, s in steps.items())
            + ")",
            "≤ 30 s",
            _met(statistics.median(cycles) <= 30),
        )
    )
    for name, (pss, rss) in results["memory"].items():
        rows.append(
            (
                f"Peak memory: {name}",
                f"{pss / 2**20:,.0f} MB PSS ({rss / 2**20:,.0f} MB RSS)",
                "",
                "",
            )
        )
    errors = {
        "concurrency 1": one,
        "Zipf": zipf,
        "no repeats": unique,
        "during the lag": searched,
        **{f"clusters zoom {z}": r for z, r in results["clusters"].items()},
    }
    failed = ", ".join(f"{k}: {len(r.errors)}" for k, r in errors.items() if r.errors)

    command = "python -m bench.scale " + shlex.join(sys.argv[1:])
    lines = [HEADING, ""]
    if loaded["listings"] != 1_000_000:
        lines += [f"**This run: {loaded['listings']:,} listings, not the million.**", ""]
    lines += [
        f"`{command}` (the load step: {_load_command(loaded, command)}{loaded['date']}, "
        "load average "
        f"{loaded['seed_load_average'][0]:.1f} before the seed, "
        f"{loaded['reindex_load_average'][1]:.1f} after the reindex; the seed's "
        f"{loaded['outbox_settled']:,} outbox entries, which the reindex already covers, were "
        "then marked processed so the worker does not replay them). The site under gunicorn "
        f"({args.web_workers} sync workers) on loopback, the load from an aiohttp client in "
        "the same machine; its own database, index alias and Redis database; memory is the "
        "largest sum over each part's processes, sampled every second (PostgreSQL: the "
        "server's own processes and this database's backends).",
        "",
        facts.line(),
        "",
        "| measure | figure | target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    if failed:
        lines += [f"Answers other than 200: {failed}.", ""]
    lines += [NOTES, ""]
    return "\n".join(lines)


def write(section_text: str, path: Path = BENCHMARKS) -> None:
    """Put the section at the end of the file, or in place of the one a run wrote before
    (keeping the hand-written notes after its marker)."""
    text = path.read_text()
    start = text.find("\n" + HEADING + "\n")
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + section_text.rstrip("\n") + "\n")
        return
    start += 1
    following = re.search(r"^## ", text[start + len(HEADING) :], flags=re.MULTILINE)
    end = start + len(HEADING) + following.start() if following else len(text)
    old = text[start:end]
    notes = old.split(NOTES, 1)[1].strip("\n") if NOTES in old else ""
    new = section_text.rstrip("\n") + ("\n" + notes + "\n" if notes else "\n")
    path.write_text(text[:start] + new + ("\n" + text[end:] if end < len(text) else ""))
