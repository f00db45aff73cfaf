"""The Celery application and the background tasks of the site."""
