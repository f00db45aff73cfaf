"""Entry point for `celery -A indexer.worker:celery worker|beat`: builds the app only when a worker
starts, never when a web process imports the tasks."""

from web import create_app

app = create_app()
celery = app.extensions["celery"]
