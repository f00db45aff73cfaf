"""WSGI entry point for production servers: `gunicorn web.wsgi:app`."""

from web import create_app
from web.log_config import configure_logging

configure_logging()
app = create_app()
