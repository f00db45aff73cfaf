"""Settings: the embedded default, and clear messages for configuration a person got wrong."""

from __future__ import annotations

import subprocess
import sys

import pytest

from settings import PROJECT_ROOT, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "CLASSIFIEDS_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(PROJECT_ROOT / "tests")  # no .env here


def test_no_configuration_is_the_embedded_default():
    settings = load_settings()
    assert settings.uses_sqlite
    assert settings.tasks_in_process
    assert settings.ELASTICSEARCH_URL is None
    assert len(settings.SECRET_KEY) >= 32


def test_configured_urls_turn_on_the_distributed_stack():
    settings = load_settings(
        DATABASE_URL="postgres://u:p@db.example/classifieds",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
    )
    assert settings.DATABASE_URL == "postgresql+psycopg://u:p@db.example/classifieds"
    assert not settings.uses_sqlite
    assert not settings.tasks_in_process


def test_elasticsearch_url_may_name_the_nodes_of_a_cluster():
    settings = load_settings(ELASTICSEARCH_URL="http://10.0.0.1:9200, https://u:p@10.0.0.2:9200")
    assert settings.elasticsearch_nodes == ["http://10.0.0.1:9200/", "https://u:p@10.0.0.2:9200/"]
    assert load_settings(ELASTICSEARCH_URL="http://127.0.0.1:9200").elasticsearch_nodes == [
        "http://127.0.0.1:9200/"
    ]
    assert load_settings().elasticsearch_nodes == []
    assert settings.elasticsearch_shown == "http://10.0.0.1:9200/, https://10.0.0.2:9200/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "ELASTICSEARCH_URL: is empty: leave it unset for the embedded search backend"),
        ("http://a:9200,,http://b:9200", "ELASTICSEARCH_URL: must be an http:// or https:// URL"),
        ("http://a:9200,ftp://b", "ELASTICSEARCH_URL: must be an http:// or https:// URL"),
        ("localhost:9200", "ELASTICSEARCH_URL: must be an http:// or https:// URL"),
    ],
)
def test_a_bad_elasticsearch_node_is_explained_without_echoing_the_addresses(value, expected):
    with pytest.raises(SettingsError) as error:
        load_settings(ELASTICSEARCH_URL=f"https://user:topsecret@a:9200,{value}" if value else "")
    assert expected in str(error.value)
    assert "topsecret" not in str(error.value)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL: must be a postgresql:// or sqlite:// URL"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL: must be a redis:// or rediss:// URL"),
        ({"ELASTICSEARCH_URL": "not a url"}, "ELASTICSEARCH_URL"),
        ({"SMTP_PORT": "seventy"}, "SMTP_PORT"),
        ({"LISTING_TTL_DAYS": "0"}, "LISTING_TTL_DAYS"),
        ({"CLASSIFIEDS_ENV": "staging"}, "CLASSIFIEDS_ENV"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 16 characters"),
        (
            {"CLASSIFIEDS_ENV": "production"},
            "SECRET_KEY must be set when CLASSIFIEDS_ENV=production",
        ),
    ],
)
def test_invalid_settings_are_explained(overrides, expected):
    with pytest.raises(SettingsError) as error:
        load_settings(**overrides)
    message = str(error.value)
    assert message.startswith("The site cannot start: its configuration is invalid.")
    assert expected in message


PRODUCTION = {"CLASSIFIEDS_ENV": "production", "SECRET_KEY": "s" * 32, "SMTP_HOST": "smtp.example"}


def test_production_refuses_to_start_without_site_url():
    # Mail links are built on SITE_URL: a default would send every recipient to localhost.
    with pytest.raises(SettingsError) as error:
        load_settings(**PRODUCTION)
    assert "SITE_URL must be set when CLASSIFIEDS_ENV=production" in str(error.value)
    settings = load_settings(**PRODUCTION, SITE_URL="https://classifieds.example")
    assert settings.SITE_URL == "https://classifieds.example"


def test_site_url_defaults_to_localhost_outside_production():
    assert load_settings().SITE_URL == "http://localhost:5000"


@pytest.mark.parametrize("value", ["classifieds.example", "ftp://classifieds.example", "https://"])
def test_site_url_must_be_an_http_address(value):
    with pytest.raises(SettingsError) as error:
        load_settings(SITE_URL=value)
    assert "SITE_URL: must be an http:// or https:// address" in str(error.value)


def test_secrets_are_not_echoed_in_errors():
    with pytest.raises(SettingsError) as error:
        load_settings(SECRET_KEY="hunter2", DATABASE_URL="mysql://user:topsecret@host/db")
    assert "hunter2" not in str(error.value)
    assert "topsecret" not in str(error.value)


def test_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("LISTINGS_PER_DAY", "7")
    assert load_settings().LISTINGS_PER_DAY == 7


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LISTING_TTL_DAYS=12\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().LISTING_TTL_DAYS == 12


def test_manage_py_refuses_to_start_with_a_readable_message():
    result = subprocess.run(
        [sys.executable, "manage.py", "routes"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "mysql://nope/db"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DATABASE_URL: must be a postgresql:// or sqlite:// URL" in result.stderr
    assert "Traceback" not in result.stderr
