"""Saved searches: save one from the results page, list, open, rename, pause and delete them."""

from flask import Blueprint

import indexer.alerts  # noqa: F401  (the alerts' hooks and their unsubscribe handler)

bp = Blueprint("saved_searches", __name__)


@bp.record_once
def _add_template_helpers(state) -> None:
    from web.saved_searches.offer import save_offer

    state.app.jinja_env.globals["saved_search_offer"] = save_offer


from web.saved_searches import routes  # noqa: E402,F401  (attach to bp)
