"""`manage.py dev`: the whole stack for local work in one command.

Starts (if needed) the local PostgreSQL, Redis and Elasticsearch of `manage.py services`,
applies the migrations, then runs the web server, a Celery worker and Celery beat side by side,
each in its own process group. Ctrl-C (or SIGTERM) stops all three; if one of them dies, the
others are stopped too, so nothing is left running half-configured.

Variables already set in the environment (or `.env`) win over the local services' URLs, so
`DATABASE_URL=... manage.py dev --no-services` runs against servers of your own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from settings import INSTANCE_DIR, PROJECT_ROOT

STOP_SECONDS = 15


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(PROJECT_ROOT / "manage.py"), *args]


def _environment(start_services: bool) -> dict[str, str]:
    env = dict(os.environ)
    if start_services:
        from scripts.services import ensure_up

        urls = ensure_up()
        for name, url in urls.items():
            env.setdefault(name, url)
    env["TASKS_EAGER"] = "false"  # the point of `dev` is the worker doing the work
    return env


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM every process group still running, then SIGKILL what outlives STOP_SECONDS."""
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            click.echo(f"dev: {name} did not stop in {STOP_SECONDS} s; killing it", err=True)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _interrupt(signum, frame) -> None:
    """SIGTERM stops `dev` the same clean way as Ctrl-C."""
    raise KeyboardInterrupt


@click.command("dev")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address of the web server.")
@click.option("--port", default=5000, show_default=True, help="Port of the web server.")
@click.option(
    "--services/--no-services",
    default=True,
    show_default=True,
    help="Start the local PostgreSQL, Redis and Elasticsearch first (`manage.py services up`).",
)
def dev(host: str, port: int, services: bool) -> None:
    """Run the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""
    env = _environment(services)
    click.echo("dev: applying migrations", err=True)
    subprocess.run(_manage("db", "upgrade"), env=env, cwd=PROJECT_ROOT, check=True)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    commands = {
        "web": _manage("run", "--debug", "--host", host, "--port", str(port)),
        "worker": _manage("worker", "--concurrency=2"),
        "beat": _manage("beat", f"--schedule={INSTANCE_DIR / 'celerybeat-schedule'}"),
    }
    processes: dict[str, subprocess.Popen] = {}
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for name, command in commands.items():
            # Own process groups: a terminal's Ctrl-C reaches only us, and we stop each whole
            # group (the reloader's child, the worker's pool) in order.
            processes[name] = subprocess.Popen(
                command, env=env, cwd=PROJECT_ROOT, start_new_session=True
            )
            click.echo(f"dev: {name} started (pid {processes[name].pid})", err=True)
        click.echo(f"dev: http://{host}:{port}/ — Ctrl-C stops web, worker and beat", err=True)
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    raise click.ClickException(
                        f"{name} exited with status {process.returncode}; stopping the others"
                    )
            time.sleep(0.5)
    except KeyboardInterrupt:
        click.echo("dev: stopping web, worker and beat", err=True)
    finally:
        _stop(processes)
        click.echo("dev: stopped", err=True)
