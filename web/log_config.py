"""Logging for the processes that serve the site, configured once, by their entry points.

`manage.py` and `web/wsgi.py` call `configure_logging()`; `create_app` never does, so a host
that configures logging its own way (pytest, gunicorn with a logging config, an embedding
script) keeps it. Celery workers configure their own (`manage.py worker`).
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Records of `level` and above to stderr, unless this process has configured logging."""
    logging.basicConfig(level=level, format=FORMAT)
