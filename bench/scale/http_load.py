"""Searches sent to the site over HTTP on loopback: one at a time, with a bounded number in
flight, or at a steady rate, with aiohttp. Each answer's time is measured from just before the
request to its whole body read; Elasticsearch's `took` is read from the body where there is
one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=120)


@dataclass
class Run:
    """The answers of one run: milliseconds each, `took` where the body had it, the run's
    wall-clock seconds, the answers that were not 200 and, where measured, the CPU seconds
    each part of the stack used meanwhile."""

    ms: list[float] = field(default_factory=list)
    took: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per part, meanwhile

    @property
    def per_second(self) -> float:
        return len(self.ms) / self.seconds if self.seconds else 0.0


def zipf_mix(distinct: Sequence[str], count: int, exponent: float = 1.0, seed: int = 3) -> list:
    """`count` draws from `distinct`, the k-th most popular with weight 1/k**exponent (search
    logs follow this shape: a few searches very often, most rarely)."""
    weights = [1 / (rank**exponent) for rank in range(1, len(distinct) + 1)]
    return random.Random(seed).choices(list(distinct), weights=weights, k=count)


async def _get(session: aiohttp.ClientSession, url: str, run: Run) -> None:
    started = time.perf_counter()
    async with session.get(url) as response:
        body = await response.json(content_type=None) if response.status == 200 else None
        text = "" if body is not None else await response.text()
    elapsed = (time.perf_counter() - started) * 1000
    if body is None:
        run.errors.append(f"{response.status} {url}: {text[:200]}")
        return
    run.ms.append(elapsed)
    if "took" in body:
        run.took.append(body["took"])


def _session(concurrency: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    return aiohttp.ClientSession(connector=connector, timeout=TIMEOUT)


async def _bounded(base: str, paths: Sequence[str], concurrency: int) -> Run:
    run, pending = Run(), iter(paths)

    async def worker(session: aiohttp.ClientSession) -> None:
        for path in pending:  # one shared iterator: each path is taken by one worker
            await _get(session, base + path, run)

    async with _session(concurrency) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        run.seconds = time.perf_counter() - started
    return run


def bounded(base: str, paths: Sequence[str], concurrency: int = 1) -> Run:
    """Every path once, `concurrency` requests in flight at all times (1: one after another)."""
    return asyncio.run(_bounded(base, paths, concurrency))


async def _paced(base: str, paths: Sequence[str], rate: float, limit: int, stop) -> Run:
    run, slots = Run(), asyncio.Semaphore(limit)
    tasks: set[asyncio.Task] = set()

    async def one(session: aiohttp.ClientSession, path: str) -> None:
        try:
            await _get(session, base + path, run)
        finally:
            slots.release()

    async with _session(limit) as session:
        started = time.perf_counter()
        n = 0
        while not stop.is_set():
            path = paths[n % len(paths)]
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            await slots.acquire()  # at most `limit` in flight: a slow site lowers the rate
            task = asyncio.create_task(one(session, path))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run


def _paced_process(base, paths, rate, limit, stop, out) -> None:
    out.put(asyncio.run(_paced(base, paths, rate, limit, stop)))


class BackgroundSearches:
    """Searches at a steady `rate` a second (at most `limit` in flight), from a process of
    their own so they neither wait for nor hold up the benchmark's other threads."""

    def __init__(self, base: str, paths: Sequence[str], rate: float, limit: int = 16) -> None:
        self.stop_event, self.out = multiprocessing.Event(), multiprocessing.Queue()
        self.process = multiprocessing.Process(
            target=_paced_process,
            args=(base, list(paths), rate, limit, self.stop_event, self.out),
        )
        self.process.start()

    def stop(self) -> Run:
        self.stop_event.set()
        run = self.out.get(timeout=180)
        self.process.join(timeout=30)
        return run
