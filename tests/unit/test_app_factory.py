"""What create_app leaves to others: logging is configured once, by the entry points; templates
name the features they link to directly (every blueprint is there, no feature checks)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from settings import PROJECT_ROOT, load_settings
from web import create_app


def _app(tmp_path: Path):
    return create_app(load_settings(DATABASE_URL=f"sqlite:///{tmp_path}/x.db", SECRET_KEY="k" * 32))


def test_create_app_leaves_logging_alone(tmp_path):
    # A host (a test runner, gunicorn with its own logging) keeps its configuration; pytest's
    # own handlers are set aside so that an unconfigured process is what create_app sees.
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []
    try:
        _app(tmp_path)
        assert root.handlers == []
    finally:
        root.handlers, root.level = saved


def test_the_wsgi_entry_point_configures_logging(tmp_path):
    script = (
        "import logging, web.wsgi; root = logging.getLogger(); "
        "print(len(root.handlers), logging.getLevelName(root.level))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["1", "INFO"], result.stderr


def test_templates_name_their_links_directly(tmp_path):
    app = _app(tmp_path)
    assert "has_endpoint" not in app.jinja_env.globals
    templates = Path(app.root_path, "templates").rglob("*.html")
    assert [p.name for p in templates if "has_endpoint" in p.read_text()] == []
