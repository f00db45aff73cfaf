"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from settings import Settings, load_settings
from web.extensions import csrf, db, limiter, login_manager, migrate
from web.json_provider import OrjsonProvider

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: Settings | None = None) -> Flask:
    """Build the site from `settings` (by default, read from the environment)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(flask_config(settings))
    app.extensions["settings"] = settings
    register_extensions(app, settings)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    if settings.TRUSTED_PROXIES:
        hops = settings.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def flask_config(settings: Settings) -> dict:
    """The Flask and extension configuration that follows from the site's settings."""
    config = {
        "SECRET_KEY": settings.SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": settings.DATABASE_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": (settings.MAX_UPLOAD_MB * settings.MAX_PHOTOS_PER_LISTING + 1)
        * 2**20,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.is_production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": settings.is_production,
        "PREFERRED_URL_SCHEME": "https" if settings.is_production else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "RATELIMIT_STORAGE_URI": str(settings.REDIS_URL) if settings.REDIS_URL else "memory://",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down must not lock people out
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": settings.RATELIMIT_KEY_PREFIX,
        "TESTING": settings.CLASSIFIEDS_ENV.value == "test",
    }
    return config


def register_extensions(app: Flask, settings: Settings) -> None:
    from indexer.celery_app import init_celery
    from web import context, login, security

    if settings.uses_sqlite:
        Path(settings.DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    login.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    context.init_app(app)
    init_celery(app, settings)


def register_blueprints(app: Flask) -> None:
    from web.admin import bp as admin_bp
    from web.api import bp as api_bp
    from web.auth import bp as auth_bp
    from web.categories import bp as categories_bp
    from web.health import bp as health_bp
    from web.listings import bp as listings_bp
    from web.main import bp as main_bp
    from web.media import bp as media_bp
    from web.messages import bp as messages_bp
    from web.notifications import bp as notifications_bp
    from web.profiles import bp as profiles_bp
    from web.saved_searches import bp as saved_searches_bp
    from web.search_page import bp as search_page_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(media_bp)
    app.register_blueprint(categories_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(saved_searches_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(search_page_bp)


def register_error_handlers(app: Flask) -> None:
    from web import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from web.commands import register

    register(app)
