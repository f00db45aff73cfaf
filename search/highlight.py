"""Highlighting: which words of a title matched the query, marked up as HTML.

Done in Python with the analysis of search.analysis, so both backends highlight alike: a word
is marked when its stemmed form is a query term or within that term's typo allowance (the
same edit limits and exact first character as the matching itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from search import analysis
from search.fuzzy import matches

_WORD = re.compile(r"[^\W_]+")


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """`text`, HTML-escaped, with the words matching `terms` wrapped in <mark>."""
    terms = list(terms)
    if not terms:
        return Markup(escape(text))
    parts, last = [], 0
    for match in _WORD.finditer(text):
        word = match.group()
        stemmed = analysis.terms(word)
        if stemmed and any(matches(stemmed[0], term) for term in terms):
            parts.append(escape(text[last : match.start()]))
            parts.append(Markup("<mark>%s</mark>") % word)
            last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
