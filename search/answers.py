"""Finished answers of repeated searches, reused while the index has not changed.

Popular searches repeat: a search log is Zipf-shaped, a few searches asked very often (the
home page, a category near a big city). Elasticsearch's shard request cache already answers a
repeat without running its query, but each repeat still costs a round trip, Elasticsearch's
handling of the request and the response, and reading the hits into a SearchResult: at a
million listings, most of the CPU of an answer (docs/BENCHMARKS.md, "A million listings").
Each process keeps the SearchResults of its recent searches (read-only: callers never change a
result) and hands them out again while they are still what the index would answer; an answer
is also put in Redis for the minute (signed, search.answer_codec), so that a repeat that reaches
another web process is not a search either. The check of the latest write and the fetch of a
shared answer are one round trip.

When an answer is still right. The index's writers (indexer.sync, indexer.reconcile, the alias
swap of a rebuild, the creation of a first index) call `index_changed` after every write, which
notes in Redis the moment of the latest write, on Redis's clock so that every machine compares
the same times. A write is searchable after the next refresh, within the index's refresh
interval (1 s). An answer asked at moment A is kept only if A came at least SETTLE (3 s) after
the latest write, and reused only while no write came after it: the index it was read from
showed every write made so far, and still does. So a reused answer is never older than the
index, the same promise as Elasticsearch's own request cache, and a steady stream of writes
simply leaves nothing to reuse. Entries are keyed by the search clock's minute
(search.backends.common.Clock), so none outlives it, whatever happens to Redis.

Without Redis (the embedded default, or Redis unreachable) nothing is reused: the moment of the
latest write is unknown. A Redis that comes back empty is read as "written just now".
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache

import redis
from flask import current_app
from itsdangerous import Signer

from search import answer_codec
from search.backends.common import Clock
from search.query import ListingQuery
from search.results import SearchResult
from settings import Settings

log = logging.getLogger(__name__)

# Microseconds between the latest write and a search whose answer may be kept: the refresh
# interval (search.document.INDEX_SETTINGS, 1 s) and twice as much again for a refresh that
# comes late on a busy node (the index lag benchmark's slowest writes took about 2 s from
# commit to searchable, the worker's part included).
SETTLE = 3_000_000
# A Redis that failed is left alone this long: a search must not wait for it every time.
REDIS_PAUSE = 5.0
# Seconds. Redis answers in well under a millisecond; a search would rather not reuse
# answers than wait, a writer would rather wait than go unnoted.
READER_TIMEOUT = 0.25
WRITER_TIMEOUT = 2.0

# The moment of now on Redis's clock, in microseconds, as text.
_NOW = "local t = redis.call('TIME') local now = t[1] .. string.sub('00000' .. t[2], -6) "
# Writers: the latest write is now.
_MARK = _NOW + "redis.call('SET', KEYS[1], now) return now"
# Readers: {latest write, now, shared answer or false}. A key lost with Redis's data is a
# write just now. The answer shared under KEYS[2] is sent only if it still holds (asked at
# least ARGV[2] after the latest write) and the reader's own copy (asked at ARGV[1]) does not.
_READ = _NOW + (
    "local written = redis.call('GET', KEYS[1]) "
    "if not written then written = now redis.call('SET', KEYS[1], now, 'NX') end "
    "local settled = tonumber(written) + tonumber(ARGV[2]) "
    "if tonumber(ARGV[1]) >= settled then return {written, now, false} end "
    "local shared = redis.call('HMGET', KEYS[2], 'asked', 'answer') "
    "if shared[1] and tonumber(shared[1]) >= settled then return {written, now, shared[2]} end "
    "return {written, now, false}"
)
# Seconds a shared answer outlives its search clock's minute, for clocks a little apart.
SHARED_GRACE = 10


def index_changed(settings: Settings) -> None:
    """Note that the index behind `settings`' alias was just written to (or swapped).

    Always tried, with a patient timeout: a write that goes unnoted lets answers from before
    it be reused until their minute ends."""
    if settings.REDIS_URL is None:
        return
    client = _client_for(str(settings.REDIS_URL), WRITER_TIMEOUT)
    try:
        _scripts(client)[0](keys=[_key(settings)])
    except redis.RedisError as error:
        log.error("A write to the index could not be noted in Redis: %s", error)


def run(query: ListingQuery, search: Callable[[ListingQuery], SearchResult]) -> SearchResult:
    """`search(query)`, or the answer a search of the same query gave earlier if it still holds."""
    settings = current_app.extensions["settings"]
    answers = _answers()
    if answers is None:
        return search(query)
    clock = Clock.current()
    key = (clock.now, _query_key(query))
    kept = answers.get(key)
    shared_key = _shared_key(settings, key)
    moments = _moments(settings, shared_key, kept.asked if kept is not None else 0)
    if moments is None:
        return search(query)
    written, now, shared = moments
    if kept is not None and kept.asked >= written + SETTLE:
        return replace(kept.result, took=0)  # no backend ran for this one
    if shared is not None:
        try:
            asked, result = answer_codec.decode(_signer(settings), shared)
        except answer_codec.UnreadableAnswer as error:
            log.warning("A shared search answer was not readable: %s", error)
        else:
            answers.put(key, _Answer(asked=asked, result=result))
            return replace(result, took=0)
    result = search(query)
    if now >= written + SETTLE:
        answers.put(key, _Answer(asked=now, result=result))
        _share(settings, shared_key, now, result, expires=clock.now)
    return result


@dataclass(frozen=True)
class _Answer:
    asked: int  # when the search was asked, microseconds on Redis's clock
    result: SearchResult


class _Answers:
    """The most recently used answers of one process, at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, _Answer] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers share one app

    def get(self, key: tuple) -> _Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: _Answer) -> None:
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def _answers() -> _Answers | None:
    """This app's answers, or None where nothing is kept."""
    extensions = current_app.extensions
    settings = extensions["settings"]
    if not settings.SEARCH_ANSWERS or settings.REDIS_URL is None:
        return None
    answers = extensions.get("search_answers")
    if answers is None:
        answers = extensions["search_answers"] = _Answers(settings.SEARCH_ANSWERS)
    return answers


def _query_key(query: ListingQuery) -> tuple:
    # The canonical arguments say everything a URL can; alerts add the other two.
    args = query.to_args()
    args = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in args.items())
    return args, query.visible_after, query.exclude_seller


def _moments(
    settings: Settings, shared_key: str, kept_asked: int
) -> tuple[int, int, bytes | None] | None:
    """(latest write, now, the shared answer if it holds and `kept_asked` does not), or None
    when Redis cannot say."""
    client = _reader(settings)
    if client is None:
        return None
    try:
        written, now, shared = _scripts(client)[1](
            keys=[_key(settings), shared_key], args=[kept_asked, SETTLE]
        )
    except redis.RedisError as error:
        _pause(settings, error)
        return None
    return int(written), int(now), shared or None


def _share(
    settings: Settings, shared_key: str, asked: int, result: SearchResult, expires: datetime
) -> None:
    """Put `result` where the other processes look, until its clock's minute is over."""
    client = _reader(settings)
    if client is None:
        return
    pipe = client.pipeline(transaction=False)
    pipe.hset(
        shared_key,
        mapping={"asked": asked, "answer": answer_codec.encode(_signer(settings), asked, result)},
    )
    pipe.expireat(shared_key, int(expires.replace(tzinfo=UTC).timestamp()) + SHARED_GRACE)
    try:
        pipe.execute()
    except redis.RedisError as error:
        _pause(settings, error)


def _shared_key(settings: Settings, key: tuple) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f"{settings.ELASTICSEARCH_INDEX}:answer:{digest}"


@cache
def _signer_for(secret_key: str) -> Signer:
    return answer_codec.signer(secret_key)


def _signer(settings: Settings) -> Signer:
    return _signer_for(settings.SECRET_KEY)


def _key(settings: Settings) -> str:
    return f"{settings.ELASTICSEARCH_INDEX}:index-written-at"


_paused_until: dict[str, float] = {}


def _reader(settings: Settings) -> redis.Redis | None:
    if settings.REDIS_URL is None:
        return None
    url = str(settings.REDIS_URL)
    if _paused_until.get(url, 0.0) > time.monotonic():
        return None
    return _client_for(url, READER_TIMEOUT)


def _pause(settings: Settings, error: Exception) -> None:
    url = str(settings.REDIS_URL)
    _paused_until[url] = time.monotonic() + REDIS_PAUSE
    log.warning("Search answers are not reused for %.0f s: Redis failed: %s", REDIS_PAUSE, error)


@cache
def _scripts(client: redis.Redis) -> tuple:
    # Sent once, then called by their digest.
    return client.register_script(_MARK), client.register_script(_READ)


@cache
def _client_for(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
