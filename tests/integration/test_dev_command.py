"""`manage.py dev` runs web, worker and beat together, and one Ctrl-C stops all three."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from scripts.services import wait_for
from settings import PROJECT_ROOT
from tests.conftest import TEST_INDEX
from tests.servers import free_port

DEV_REDIS_DB = 13


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_dev_starts_web_worker_and_beat_and_ctrl_c_stops_them_all(
    database_url, service_urls, tmp_path
):
    port = free_port()
    env = {
        **os.environ,
        "CLASSIFIEDS_ENV": "test",
        "SECRET_KEY": "dev-command-test-secret-key",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"{service_urls['REDIS_URL'].rsplit('/', 1)[0]}/{DEV_REDIS_DB}",
        "ELASTICSEARCH_URL": service_urls["ELASTICSEARCH_URL"],
        "ELASTICSEARCH_INDEX": f"{TEST_INDEX}-dev",  # dropped with this run's indices
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MAIL_ENABLED": "false",
    }
    log_path = tmp_path / "dev.log"
    with log_path.open("w") as log:
        dev = subprocess.Popen(
            [sys.executable, "manage.py", "dev", "--no-services", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_for(lambda: _healthy(port), 90, 0.5), log_path.read_text()[-3000:]
        assert wait_for(lambda: "ready." in log_path.read_text(), 60, 0.5)  # the worker
        started = dict(re.findall(r"dev: (\w+) started \(pid (\d+)\)", log_path.read_text()))
        assert set(started) == {"web", "worker", "beat"}
        assert dev.poll() is None

        dev.send_signal(signal.SIGINT)  # what Ctrl-C in its terminal sends
        assert dev.wait(timeout=60) == 0
        assert all(_gone(int(pid)) for pid in started.values()), log_path.read_text()[-3000:]
        assert "dev: stopped" in log_path.read_text()
    finally:
        if dev.poll() is None:
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait()
