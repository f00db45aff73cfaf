"""Install, start, stop and report the local service stack: PostgreSQL, Redis, Elasticsearch.

Usage (also attached to ``manage.py services``)::

    python -m scripts.services up            # install what is missing, start, wait until healthy
    python -m scripts.services up --print-env  # same, but stdout is only `export NAME=url` lines:
                                             #   eval "$(python -m scripts.services up --print-env)"
    python -m scripts.services status        # one line per service; exit 0 only if all healthy
    python -m scripts.services down          # stop what `up` started; data and cache stay

Progress messages go to stderr; status lines (or, with ``--print-env``, export lines) to stdout.

Services and URLs (loopback only):

    PostgreSQL     DATABASE_URL       postgresql+psycopg://classifieds:classifieds@127.0.0.1:55432/classifieds
                   (databases `classifieds` and `classifieds_test`, owned by role `classifieds`)
    Redis          REDIS_URL          redis://127.0.0.1:56379/0
    Elasticsearch  ELASTICSEARCH_URL  http://127.0.0.1:59200   (transport port 59300)

A service whose environment variable is set to some *other* URL is "external": it is only checked
for health, never installed, started or stopped. (A variable equal to the default URL names the
service this script manages, so `eval "$(... up --print-env)"` followed by `down`/`up` still works.)

State lives in ``$CLASSIFIEDS_SERVICES_DIR`` (default ``/var/tmp/classifieds-services``; not under
/root, which the unprivileged service user could not traverse)::

    cache/elasticsearch-<ver>/  unpacked Elasticsearch distribution (kept by `down`)
    postgres/data/ postgres/run/  own cluster (not the Debian system one) and its unix socket
    redis/                      working dir and pid file
    elasticsearch/              config/, data/, logs/ (server log: logs/classifieds.log), tmp/, pid
    logs/                       postgresql.log, redis.log, elasticsearch-startup.log,
                                apt.log, maven.log

As root, the servers run as the system user ``classifieds`` (Elasticsearch refuses to run as root);
missing packages are installed with apt and Elasticsearch is fetched from Maven Central.
"""

from __future__ import annotations

import abc
import contextlib
import fcntl
import functools
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
import psycopg
import redis
from psycopg import sql

SERVICE_USER = "classifieds"
ES_VERSION = "8.19.21"
ES_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
DEFAULT_URLS = {
    "DATABASE_URL": "postgresql+psycopg://classifieds:classifieds@127.0.0.1:55432/classifieds",
    "REDIS_URL": "redis://127.0.0.1:56379/0",
    "ELASTICSEARCH_URL": "http://127.0.0.1:59200",
}
PG_PORT, REDIS_PORT, ES_HTTP_PORT, ES_TRANSPORT_PORT = 55432, 56379, 59200, 59300
PG_DATABASES = ("classifieds", "classifieds_test")


class ServiceError(click.ClickException):
    """A service could not be installed, started or reached; the CLI prints it and exits 1."""


# --- small helpers ----------------------------------------------------------------------------


def state_dir() -> Path:
    """Root of all state; read on each call so tests can point it elsewhere."""
    return Path(os.environ.get("CLASSIFIEDS_SERVICES_DIR", "/var/tmp/classifieds-services"))


def say(message: str) -> None:
    """Progress goes to stderr so stdout stays machine-readable (`--print-env`)."""
    click.echo(message, err=True)


def is_root() -> bool:
    return os.geteuid() == 0


def as_service_user(cmd: list[str]) -> list[str]:
    """Run `cmd` as the unprivileged service user when we are root (ES refuses root)."""
    return ["runuser", "-u", SERVICE_USER, "--", *cmd] if is_root() else cmd


def give_to_service_user(path: Path) -> None:
    """chown `path` to the service user (when root and the user exists), so the servers,
    which run as that user, can write to it."""
    if is_root():
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(SERVICE_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)


def make_dir(path: Path, *, service_owned: bool = False) -> Path:
    """Create `path`; hand it to the service user if the servers need to write there."""
    path.mkdir(parents=True, exist_ok=True)
    if service_owned:
        give_to_service_user(path)
    return path


def tail(path: Path, lines: int = 12) -> str:
    """The end of a log for an error message, preceded by the first error lines of the latest
    attempt (a Java stack trace buries the cause far above its last lines)."""
    try:
        text = path.read_text(errors="replace").splitlines()[-300:]
    except OSError:
        return "(no log written)"
    starts = [i for i, line in enumerate(text) if line.startswith("$ ")]  # see run()
    latest = text[starts[-1] if starts else 0 :]
    causes = [line for line in latest if re.search(r"\b(ERROR|FATAL|Caused by)\b", line)]
    causes = [line for line in causes[:4] if line not in latest[-lines:]]
    head = [*causes, "..."] if causes else []
    return "\n".join(head + latest[-lines:])


def run(cmd: list[str], *, log: Path, what: str, timeout: float = 900, **kwargs) -> None:
    """Run a command with its output appended to `log`; raise ServiceError naming `what`.
    A new log is handed to the service user: the server started may append to the same file."""
    if not log.exists():
        log.touch()
        give_to_service_user(log)
    with log.open("ab") as out:
        out.write(f"\n$ {shlex.join(cmd)}\n".encode())
        out.flush()
        try:
            proc = subprocess.run(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=timeout, **kwargs
            )
        except subprocess.TimeoutExpired:
            raise ServiceError(
                f"{what}: `{cmd[0]}` timed out after {timeout:.0f}s; log: {log}\n{tail(log)}"
            ) from None
    if proc.returncode != 0:
        raise ServiceError(
            f"{what}: `{shlex.join(cmd)}` exited {proc.returncode}; log: {log}\n{tail(log)}"
        )


def port_open(host: str, port: int) -> bool:
    """Cheap liveness test that tells "down" (nothing listening) from "unhealthy"."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def read_pid(pidfile: Path, expect: str) -> int | None:
    """The live pid in `pidfile` if its command line names `expect` (guards against pid reuse)."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        return None
    return pid if expect in cmdline else None


def terminate(pidfile: Path, expect: str, timeout: float = 60) -> bool:
    """SIGTERM the process in `pidfile`, wait for it, SIGKILL as a last resort. True if stopped."""
    pid = read_pid(pidfile, expect)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    if not wait_for(lambda: read_pid(pidfile, expect) is None, timeout):
        os.kill(pid, signal.SIGKILL)
    return True


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


# --- installation -----------------------------------------------------------------------------

_apt_updated = False


@contextlib.contextmanager
def no_daemon_autostart() -> Iterator[None]:
    """Stop package scripts from starting the *system* PostgreSQL/Redis: we run our own, and
    a second copy would only cost memory. policy-rc.d is the Debian switch for that."""
    policy = Path("/usr/sbin/policy-rc.d")
    if policy.exists():  # someone else's policy (e.g. a container image): leave it alone
        yield
        return
    policy.write_text("#!/bin/sh\n# temporary, written by scripts/services.py\nexit 101\n")
    policy.chmod(0o755)
    try:
        yield
    finally:
        policy.unlink(missing_ok=True)


def apt_install(*packages: str) -> None:
    """Install Debian packages, running `apt-get update` at most once per process."""
    global _apt_updated
    if not is_root():
        raise ServiceError(f"{', '.join(packages)} missing and only root can apt-get install it")
    log = make_dir(state_dir() / "logs", service_owned=True) / "apt.log"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _apt_updated:
        say("  apt-get update")
        run(["apt-get", "update"], log=log, what="apt-get update", env=env)
        _apt_updated = True
    say(f"  apt-get install {' '.join(packages)}")
    with no_daemon_autostart():
        run(
            ["apt-get", "install", "-y", "--no-install-recommends", *packages],
            log=log,
            what=f"installing {' '.join(packages)}",
            env=env,
        )


def ensure_service_user() -> None:
    """Create the system user the servers run as (root only; otherwise we run as ourselves)."""
    if not is_root():
        return
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        say(f"  creating system user {SERVICE_USER}")
        flags = "--system --user-group --no-create-home --home-dir /nonexistent"
        flags += " --shell /usr/sbin/nologin"  # a daemon account: no home, no login
        subprocess.run(["useradd", *flags.split(), SERVICE_USER], check=True)


# --- the services -----------------------------------------------------------------------------


@dataclass
class Health:
    state: str  # "healthy" | "down" | "unhealthy"
    version: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "healthy"


class Service(abc.ABC):
    """One server: how to reach it, check it, install it, start and stop our own copy."""

    name: str
    key: str  # its directory under the state dir
    env_var: str
    start_timeout: float = 60

    @property
    def url(self) -> str:
        return os.environ.get(self.env_var) or DEFAULT_URLS[self.env_var]

    @property
    def external(self) -> bool:
        """Named by its env var as something other than the copy we manage."""
        return self.url != DEFAULT_URLS[self.env_var]

    @property
    def dir(self) -> Path:
        return state_dir() / self.key

    @property
    @abc.abstractmethod
    def log_path(self) -> Path: ...

    @abc.abstractmethod
    def probe(self) -> str:
        """Talk to the server at `self.url`; return its version or raise."""

    @abc.abstractmethod
    def install(self) -> None:
        """Make the binaries available (idempotent)."""

    @abc.abstractmethod
    def start(self) -> None:
        """Start our copy unless its process is already alive (idempotent)."""

    @abc.abstractmethod
    def stop(self) -> bool:
        """Stop our copy; True if something was running."""

    def health(self) -> Health:
        parts = urlsplit(self.url)
        if not port_open(parts.hostname or "127.0.0.1", parts.port or 0):
            return Health("down", detail="nothing listening")
        try:
            return Health("healthy", version=self.probe())
        except Exception as exc:  # any failure to talk sensibly to a listening port
            first_line = next(iter(str(exc).strip().splitlines()), "") or type(exc).__name__
            return Health("unhealthy", detail=first_line)

    def ensure(self) -> None:
        """Leave the service healthy or raise ServiceError naming it and its log."""
        health = self.health()
        if health.ok:
            say(f"{self.name}: already running at {self.display_url}")
            return
        if self.external:
            raise ServiceError(
                f"{self.name} at {self.display_url} (from ${self.env_var}) is "
                f"{self.describe(health)}"
            )
        say(f"{self.name}: starting")
        self.install()
        self.start()
        if not wait_for(lambda: self.health().ok, self.start_timeout):
            raise ServiceError(
                f"{self.name} did not become healthy within "
                f"{self.start_timeout:.0f}s ({self.describe(self.health())}); "
                f"log: {self.log_path}\n{tail(self.log_path)}"
            )
        say(f"{self.name}: healthy at {self.display_url}")

    @property
    def display_url(self) -> str:
        """The URL with any password masked, for output."""
        return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", self.url)

    @staticmethod
    def describe(health: Health) -> str:
        return f"{health.state}: {health.detail}" if health.detail else health.state

    def status_line(self) -> tuple[bool, str]:
        health = self.health()
        where = f"external, from ${self.env_var}" if self.external else f"log: {self.log_path}"
        version = health.version or "-"
        extra = f"  [{health.detail}]" if health.detail else ""
        return health.ok, (
            f"{self.name:<14}{health.state:<10}{version:<9}{self.display_url}  ({where}){extra}"
        )


class PostgreSQL(Service):
    name, key, env_var = "PostgreSQL", "postgres", "DATABASE_URL"

    @property
    def log_path(self) -> Path:
        return state_dir() / "logs" / "postgresql.log"

    @property
    def data_dir(self) -> Path:
        return self.dir / "data"

    @staticmethod
    def bin_dir() -> Path | None:
        """Newest installed /usr/lib/postgresql/<ver>/bin that has a server in it."""
        found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")]
        return max(found, key=lambda p: int(p.parent.name), default=None)

    def probe(self) -> str:
        conninfo = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", self.url)
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
            return str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]

    def install(self) -> None:
        if self.bin_dir() is None:
            apt_install("postgresql")

    def pg(self, tool: str, *args: str) -> list[str]:
        return as_service_user([str(self.bin_dir() / tool), *args])

    def running(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists() and subprocess.run(
            self.pg("pg_ctl", "-D", str(self.data_dir), "status"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ).returncode == 0

    def start(self) -> None:
        ensure_service_user()
        make_dir(self.dir, service_owned=True)
        socket_dir = make_dir(self.dir / "run", service_owned=True)
        make_dir(self.log_path.parent, service_owned=True)
        if not (self.data_dir / "PG_VERSION").exists():
            say("  initdb (own cluster, superuser `postgres`)")
            flags = ["-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
            initdb = self.pg("initdb", "-D", str(self.data_dir), *flags)
            run(initdb, log=self.log_path, what="PostgreSQL initdb")
        # Rewritten on every start so a changed port or socket dir takes effect.
        (self.data_dir / "classifieds.conf").write_text(
            f"listen_addresses = '127.0.0.1'\nport = {PG_PORT}\n"
            f"unix_socket_directories = '{socket_dir}'\n"
            "synchronous_commit = off  # a dev/test cluster: speed over the last commits\n"
        )
        conf = self.data_dir / "postgresql.conf"
        if "include_if_exists 'classifieds.conf'" not in conf.read_text():
            with conf.open("a") as f:
                f.write("\ninclude_if_exists 'classifieds.conf'\n")
        # trust, but only over loopback TCP: no unix-socket or IPv6 entries at all.
        (self.data_dir / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
        if not self.running():
            wait = ["-w", "-t", str(int(self.start_timeout))]
            pg_ctl = self.pg("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), *wait)
            run([*pg_ctl, "start"], log=self.log_path, what="PostgreSQL start", cwd=self.dir)
        self.provision()

    def provision(self) -> None:
        """Create the application role and databases if missing (as the bootstrap superuser)."""
        app = urlsplit(DEFAULT_URLS["DATABASE_URL"])
        with psycopg.connect(
            host="127.0.0.1",
            port=PG_PORT,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (app.username,)
            ).fetchone():
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                        sql.Identifier(app.username), sql.Literal(app.password)
                    )
                )
            for db in PG_DATABASES:
                if not conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (db,)
                ).fetchone():
                    say(f"  creating database {db}")
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(db), sql.Identifier(app.username)
                        )
                    )

    def stop(self) -> bool:
        if self.bin_dir() is None or not self.running():
            return False
        pg_ctl = self.pg("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        run(pg_ctl, log=self.log_path, what="PostgreSQL stop", cwd=self.dir)
        return True


class Redis(Service):
    name, key, env_var = "Redis", "redis", "REDIS_URL"
    start_timeout = 20
    port = REDIS_PORT  # a private instance (tests/servers.py) picks its own

    @property
    def log_path(self) -> Path:
        return state_dir() / "logs" / "redis.log"

    @property
    def pidfile(self) -> Path:
        return self.dir / "redis.pid"

    def probe(self) -> str:
        client = redis.Redis.from_url(self.url, socket_timeout=3, socket_connect_timeout=3)
        try:
            client.ping()
            return str(client.info("server")["redis_version"])
        finally:
            client.close()

    def install(self) -> None:
        if not shutil.which("redis-server"):
            apt_install("redis-server")

    def start(self) -> None:
        if read_pid(self.pidfile, "redis-server"):
            return
        ensure_service_user()
        make_dir(self.dir, service_owned=True)
        make_dir(self.log_path.parent, service_owned=True)
        # No config file: everything on the command line, persistence off (a cache and broker
        # for dev/tests; nothing here must survive a restart).
        cmd = [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--daemonize", "yes", "--dir", str(self.dir)]
        cmd += ["--pidfile", str(self.pidfile), "--logfile", str(self.log_path)]
        cmd += ["--save", "", "--appendonly", "no"]
        run(as_service_user(cmd), log=self.log_path, what="Redis start", cwd=self.dir)

    def stop(self) -> bool:
        return terminate(self.pidfile, "redis-server", timeout=20)


class Elasticsearch(Service):
    name, key, env_var = "Elasticsearch", "elasticsearch", "ELASTICSEARCH_URL"
    start_timeout = 180  # first start on two cores takes a minute or more
    http_port, transport_port = ES_HTTP_PORT, ES_TRANSPORT_PORT  # private instances pick theirs
    heap = "512m"
    java_options = ""  # for every JVM a start runs: the launcher's and the server's
    cluster_name, node_name = "classifieds", "classifieds-local"

    @property
    def log_path(self) -> Path:
        return self.dir / "logs" / f"{self.cluster_name}.log"  # <path.logs>/<cluster.name>.log

    @property
    def startup_log(self) -> Path:
        return state_dir() / "logs" / "elasticsearch-startup.log"

    @property
    def pidfile(self) -> Path:
        return self.dir / "elasticsearch.pid"

    @property
    def home(self) -> Path:
        return state_dir() / "cache" / f"elasticsearch-{ES_VERSION}"

    def probe(self) -> str:
        status = self.get_json("/_cluster/health")["status"]
        if status not in ("green", "yellow"):
            raise RuntimeError(f"cluster health is {status}")
        # Not `GET /`: the Maven Central zip lacks the rest-root module, so `/` answers 405.
        (node,) = self.get_json("/_nodes/_local?filter_path=nodes.*.version")["nodes"].values()
        return str(node["version"])

    def get_json(self, path: str) -> dict:
        # An external cluster may be named by several nodes (settings.py): the first answers.
        node = self.url.split(",")[0].strip()
        with urllib.request.urlopen(node.rstrip("/") + path, timeout=5) as resp:
            return json.load(resp)

    def install(self) -> None:
        java_home()  # fail early if no JDK can be had
        if (self.home / "bin" / "elasticsearch").exists():
            return
        if not shutil.which("mvn"):
            apt_install("maven")
        say(f"  fetching Elasticsearch {ES_VERSION} from Maven Central (mvn dependency:get)")
        repo = Path.home() / ".m2" / "repository"  # explicit, so we know where the zip lands
        mvn = ["mvn", "-B", "-q", "dependency:get", f"-Dartifact={ES_ARTIFACT}"]
        mvn += ["-Dtransitive=false", f"-Dmaven.repo.local={repo}"]
        log = make_dir(state_dir() / "logs", service_owned=True) / "maven.log"
        run(mvn, log=log, what="Elasticsearch download")
        archive = (
            repo
            / "org/elasticsearch/distribution/integ-test-zip/elasticsearch"
            / ES_VERSION
            / f"elasticsearch-{ES_VERSION}.zip"
        )
        say(f"  unpacking into {self.home}")
        unzip(archive, self.home)

    def start(self) -> None:
        if read_pid(self.pidfile, "elasticsearch"):
            return
        ensure_service_user()
        for sub in ("", "data", "logs", "tmp"):
            make_dir(self.dir / sub, service_owned=True)
        make_dir(self.startup_log.parent, service_owned=True)
        config = self.dir / "config"
        if not config.exists():  # own copy: ES writes its keystore there, the cache stays read-only
            shutil.copytree(self.home / "config", config)
            for path in [config, *config.rglob("*")]:
                give_to_service_user(path)
        env = {
            "ES_JAVA_HOME": str(java_home()),
            "ES_PATH_CONF": str(config),
            "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap} {self.java_options}".strip(),
            "ES_TMPDIR": str(self.dir / "tmp"),
        }
        if self.java_options:
            env["CLI_JAVA_OPTS"] = self.java_options
        settings = {
            "cluster.name": self.cluster_name,
            "node.name": self.node_name,
            **self.discovery_settings(),
            "network.host": "127.0.0.1",
            "http.port": self.http_port,
            "transport.port": self.transport_port,
            "path.data": self.dir / "data",
            "path.logs": self.dir / "logs",
            "xpack.security.enabled": "false",
            # Dev disks are often nearly full; don't let watermarks turn indices read-only.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        flags = [arg for key, value in settings.items() for arg in ("-E", f"{key}={value}")]
        # `-d` returns once the node has started (or failed); the server outlives us.
        cmd = ["env", *(f"{k}={v}" for k, v in env.items()), str(self.home / "bin/elasticsearch")]
        run(
            as_service_user([*cmd, "-d", "-p", str(self.pidfile), *flags]),
            log=self.startup_log,
            what=f"Elasticsearch start (server log: {self.log_path})",
            timeout=self.start_timeout,
            cwd=self.dir,
            start_new_session=True,
        )

    def discovery_settings(self) -> dict[str, object]:
        """How the node finds its cluster: alone here; the nodes of a test cluster override it
        (tests/servers.py)."""
        return {"discovery.type": "single-node"}

    def stop(self) -> bool:
        return terminate(self.pidfile, "elasticsearch", timeout=60)


def unzip(archive: Path, target: Path) -> None:
    """Unpack the single top-level directory of `archive` as `target`, keeping exec bits.
    Unpacks beside it and renames, so an interrupted run never leaves a half tree behind."""
    staging = target.parent / f".unpack-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, staging))
            mode = info.external_attr >> 16  # zipfile drops unix permissions; restore them
            if mode and not info.is_dir():
                path.chmod(mode & 0o777)
    (top,) = staging.iterdir()
    top.rename(target)
    staging.rmdir()


def java_version(java: Path) -> int:
    """Major version of a `java` binary (0 if it does not run)."""
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except OSError:
        return 0
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" means Java 8


@functools.cache
def java_home() -> Path:
    """A JDK/JRE home with Java 17+ (ES 8.x's minimum); installs OpenJDK 17 if none is found."""
    for _ in range(2):
        candidates = [os.environ.get("ES_JAVA_HOME"), os.environ.get("JAVA_HOME")]
        if shutil.which("java"):
            candidates.append(str(Path(os.path.realpath(shutil.which("java"))).parent.parent))
        candidates += sorted(str(p) for p in Path("/usr/lib/jvm").glob("*") if p.is_dir())
        for home in filter(None, candidates):
            if java_version(Path(home) / "bin" / "java") >= 17:
                return Path(home)
        apt_install("openjdk-17-jre-headless")
    raise ServiceError("Elasticsearch: no Java 17+ found even after installing OpenJDK 17")


# --- the public API ---------------------------------------------------------------------------


def all_services() -> list[Service]:
    return [PostgreSQL(), Redis(), Elasticsearch()]


def service_urls() -> dict[str, str]:
    """The URL of each service (env var or default), without starting or checking anything."""
    return {s.env_var: s.url for s in all_services()}


@contextlib.contextmanager
def state_lock() -> Iterator[None]:
    """Serialise `up`/`down` (e.g. parallel test workers calling ensure_up at once)."""
    root = make_dir(state_dir())
    with (root / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another `services up/down` to finish (lock {root / '.lock'})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_up() -> dict[str, str]:
    """Install and start whatever is needed until all three services are healthy; return
    {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}. Raises ServiceError naming the failure."""
    with state_lock():
        for service in all_services():
            service.ensure()
    return service_urls()


def print_status() -> bool:
    """Print one line per service; True if all are healthy."""
    healthy = True
    for service in all_services():
        ok, line = service.status_line()
        click.echo(line)
        healthy &= ok
    return healthy


@click.group()
def services() -> None:
    """Local PostgreSQL, Redis and Elasticsearch for development and tests."""


@services.command()
@click.option(
    "--print-env",
    is_flag=True,
    help="Print only `export NAME=url` lines on stdout (for eval in a shell).",
)
def up(print_env: bool) -> None:
    """Install (if needed) and start the services; wait until all are healthy."""
    started = time.monotonic()
    urls = ensure_up()
    say(f"all services healthy ({time.monotonic() - started:.1f}s)")
    if print_env:
        for name, url in urls.items():
            click.echo(f"export {name}={shlex.quote(url)}")
    elif not print_status():
        raise ServiceError("a service stopped being healthy right after start")


@services.command()
def down() -> None:
    """Stop the services this script started; data and the download cache stay."""
    with state_lock():
        for service in reversed(all_services()):
            if service.external:
                say(f"{service.name}: external (${service.env_var}), left alone")
            elif service.stop():
                say(f"{service.name}: stopped")
            else:
                say(f"{service.name}: was not running")


@services.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """One line per service: name, state, version, URL, log. Exit 1 unless all are healthy."""
    ctx.exit(0 if print_status() else 1)


if __name__ == "__main__":
    services()
