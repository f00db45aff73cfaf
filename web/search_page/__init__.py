"""The search page in the browser: facet sidebar, chips, places, map clusters, similar listings.

`main.search` (GET /search) renders the page through `page.render`; the map's JSON endpoint
is in the API (web/api/clusters.py). This blueprint adds the template helpers the page, the
navbar and the listing page use (`ago`, `miles`, the remembered place).
"""

from flask import Blueprint

bp = Blueprint("search_page", __name__)

from web.search_page import formatting, places  # noqa: E402,F401  (attach to bp)
