"""Private Redis and Elasticsearch servers, and real Celery workers, for the fault tests.

The shared servers must never be stopped (other test runs use them), so a test that needs a
server to go down starts its own copy on free loopback ports, with its data in a temporary
directory, through the same code as `manage.py services` (scripts/services.py): as root the
servers run as the `classifieds` user, exactly as the shared ones do.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts import services
from settings import PROJECT_ROOT


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def private_root() -> Path:
    """A temporary directory the service user can write to (pytest's tmp dirs are 0700)."""
    root = Path(tempfile.mkdtemp(prefix="classifieds-private-"))
    root.chmod(0o755)
    services.give_to_service_user(root)
    return root


class PrivateRedis(services.Redis):
    """A Redis of our own: no persistence, any port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def external(self) -> bool:
        return False

    @property
    def dir(self) -> Path:
        return self.root / "redis"

    @property
    def log_path(self) -> Path:
        return self.root / "redis.log"

    def up(self) -> None:
        self.ensure()

    def down(self) -> None:
        self.stop()
        services.wait_for(lambda: not services.port_open("127.0.0.1", self.port), 20, 0.1)


class PrivateElasticsearch(services.Elasticsearch):
    """An Elasticsearch node of our own; `hunspell` dictionaries may be put in its config."""

    heap = "256m"  # a test node holds a few thousand documents

    def __init__(self, root: Path, hunspell: dict[str, Path] | None = None) -> None:
        self.root = root
        self.http_port, self.transport_port = free_port(), free_port()
        self.hunspell = hunspell or {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def external(self) -> bool:
        return False

    @property
    def dir(self) -> Path:
        return self.root / "elasticsearch"

    @property
    def startup_log(self) -> Path:
        return self.root / "elasticsearch-startup.log"

    def up(self) -> None:
        self._install_dictionaries()
        self.ensure()

    def down(self) -> None:
        self.stop()

    def _install_dictionaries(self) -> None:
        """Copy {locale: directory with <locale>.aff/.dic} into config/hunspell/<locale>/."""
        config = self.dir / "config"
        if not self.hunspell or (config / "hunspell").exists():
            return
        services.make_dir(self.dir, service_owned=True)
        shutil.copytree(self.home / "config", config)
        for locale, source in self.hunspell.items():
            target = config / "hunspell" / locale
            target.mkdir(parents=True)
            for suffix in (".aff", ".dic"):
                shutil.copy(source / f"{locale}{suffix}", target / f"{locale}{suffix}")
        for path in [config, *config.rglob("*")]:
            services.give_to_service_user(path)


class ClusterNode(PrivateElasticsearch):
    """One node of a private cluster of several on loopback, with the roles it is given."""

    # The client compiler only: a node that lives a minute starts faster and never runs long
    # enough to gain from the optimising one.
    java_options = "-XX:TieredStopAtLevel=1"

    def __init__(
        self, root: Path, cluster_name: str, node_name: str, roles: list[str], seed_port: int
    ) -> None:
        super().__init__(root)
        self.cluster_name, self.node_name, self.roles = cluster_name, node_name, roles
        self.seed_port = seed_port or self.transport_port  # 0: the node seeds itself

    @property
    def dir(self) -> Path:
        return self.root / self.node_name

    @property
    def startup_log(self) -> Path:
        return self.root / f"{self.node_name}-startup.log"

    def kill(self) -> None:
        """SIGKILL, no warning: a crashed node (its data stays for a restart)."""
        pid = services.read_pid(self.pidfile, "elasticsearch")
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            services.wait_for(lambda: not services.port_open("127.0.0.1", self.http_port), 20, 0.1)

    def discovery_settings(self) -> dict[str, object]:
        settings: dict[str, object] = {
            "node.roles": ",".join(self.roles),
            "discovery.seed_hosts": f"127.0.0.1:{self.seed_port}",
        }
        if "master" in self.roles:
            settings["cluster.initial_master_nodes"] = self.node_name
        return settings


class TwoNodeCluster:
    """A private two-node Elasticsearch cluster: `master` (master, data) and `data` (data only).

    Only `master` is master-eligible. Elasticsearch 8 elects a master by a majority of the
    voting configuration; with two master-eligible nodes that configuration holds just one of
    them, and stopping that one leaves the cluster without a master (no writes, no shard
    promotion). A data-only second node can go down without touching the election, which is
    the failure a replica is there for: the node holding a shard copy disappears.
    """

    def __init__(self, root: Path) -> None:
        name = f"classifieds-two-node-{os.getpid()}"  # never joins another run's cluster
        self.master = ClusterNode(root, name, "node-master", ["master", "data", "ingest"], 0)
        seed = self.master.transport_port
        self.data = ClusterNode(root, name, "node-data", ["data", "ingest"], seed)
        self.nodes = (self.master, self.data)

    def up(self) -> None:
        """Start both JVMs at once (each takes half a minute or more on two cores)."""
        with ThreadPoolExecutor(max_workers=2) as starter:
            starts = [starter.submit(node.up) for node in self.nodes]
            failures = [start.exception() for start in starts]  # waits for both, never halfway
        for failure in failures:
            if failure is not None:
                raise failure

    def down(self) -> None:
        with ThreadPoolExecutor(max_workers=2) as stopper:
            stops = [stopper.submit(node.down) for node in self.nodes]
        for stop in stops:
            stop.result()


class CeleryWorker:
    """A real `manage.py worker` process (solo pool; with `beat`, Celery beat inside it), on
    every queue or on those named in `queues` (comma-separated, as `-Q` takes them)."""

    def __init__(
        self, env: dict[str, str], workdir: Path, beat: bool = False, queues: str | None = None
    ) -> None:
        self.env, self.workdir, self.beat, self.queues = env, workdir, beat, queues
        self.log_path = workdir / f"worker-{time.monotonic_ns()}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> CeleryWorker:
        args = [sys.executable, "manage.py", "worker", "--pool=solo", "--without-heartbeat"]
        args += ["--without-gossip", "--without-mingle"]
        if self.beat:
            args += ["--beat", f"--schedule={self.workdir / 'beat-schedule'}"]
        if self.queues:
            args += ["--queues", self.queues]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                args,
                cwd=PROJECT_ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not services.wait_for(lambda: "ready." in self.log() or not self.alive(), timeout, 0.1):
            raise RuntimeError(f"the worker did not start in {timeout} s:\n{self.log()[-3000:]}")
        if not self.alive():
            raise RuntimeError(f"the worker died on start:\n{self.log()[-3000:]}")
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL, no warning: what a crash or the OOM killer does."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)  # the worker and what it started (beat)
        except ProcessLookupError:
            return
        if signum == signal.SIGKILL:
            self.process.wait(timeout=20)
