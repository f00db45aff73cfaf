"""The accessibility check of the browser tests: axe-core on the page as the user sees it."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# Every transition and finite animation has ended (infinite ones, such as a spinner, never do).
_SETTLED = """() => document.getAnimations().every(
    (animation) => animation.playState !== "running"
        || animation.effect.getComputedTiming().endTime === Infinity)"""


def violations(page) -> list[str]:
    """axe-core's violations on `page`, one line each, once its animations have settled: a
    button caught halfway through its colour transition fails the contrast rule, though
    neither its start nor its end does."""
    page.wait_for_function(_SETTLED)
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]
