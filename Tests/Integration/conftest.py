"""Fixtures that run the real `ciclo` binary: a server on a free port over a fresh database."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

BINARY = os.environ.get("CICLO_BINARY") or os.path.join(
    os.path.dirname(__file__), "..", "..", ".build", "debug", "ciclo")
POSTGRES_SERVER = os.environ.get("CICLO_TEST_POSTGRES_URL")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ciclo(*args, database=None, cwd=None, timeout=60, env=None):
    """Runs one ciclo command and returns the CompletedProcess."""
    full_env = dict(os.environ, **(env or {}))
    if database:
        full_env["CICLO_DATABASE_URL"] = database
    return subprocess.run([BINARY, *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def fresh_postgres_url():
    """A new empty database on the test PostgreSQL server."""
    if not POSTGRES_SERVER:
        if os.environ.get("CI") == "true":
            pytest.fail("CICLO_TEST_POSTGRES_URL is not set in CI")
        pytest.skip("CICLO_TEST_POSTGRES_URL not set")
    name = "ciclo_i_" + uuid.uuid4().hex[:16]
    subprocess.run(["psql", POSTGRES_SERVER, "-qc", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True)
    return POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name


class CicloServer:
    """A running `ciclo serve`; `stop()` sends SIGTERM, `kill()` SIGKILL."""

    def __init__(self, database, workdir, extra_args=(), env=None):
        self.database = database
        self.workdir = workdir
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.env = env or {}
        self.process = None
        self.output = ""
        self.write_key = None
        self.admin_token = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        log = open(os.path.join(self.workdir, f"serve-{time.time_ns()}.log"), "w+")
        self._log = log
        self.process = subprocess.Popen(
            [BINARY, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--database", self.database,
             *self.extra_args],
            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=dict(os.environ, **self.env))
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("ciclo serve exited early:\n" + self.read_log())
            try:
                if requests.get(self.url + "/ready", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("ciclo serve did not become ready:\n" + self.read_log())
        text = self.read_log()
        if m := re.search(r"Write key:\s+(\S+)", text):
            self.write_key = self.write_key or m.group(1)
        if m := re.search(r"Admin token:\s+(\S+)", text):
            self.admin_token = self.admin_token or m.group(1)
        return self

    def read_log(self):
        self._log.flush()
        with open(self._log.name) as f:
            return f.read()

    def stop(self, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=timeout)
        return self.process.returncode

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def wait_processed(self, timeout=120):
        """Waits until the profile processor has applied every stored event."""
        deadline = time.monotonic() + timeout
        while self.admin("GET", "/api/v1/profiles/processing").json()["events"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert self.admin("GET", "/api/v1/profiles/processing").json()["events"] == 0

    def admin(self, method, path, **kwargs):
        headers = kwargs.pop("headers", {})
        headers["Authorization"] = f"Bearer {self.admin_token}"
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="ciclo-it-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, workdir):
    """A fresh database URL on each engine."""
    if request.param == "sqlite":
        return f"sqlite://{workdir}/ciclo.db"
    return fresh_postgres_url()


@pytest.fixture
def server(database, workdir):
    s = CicloServer(database, workdir).start()
    yield s
    s.kill()


@pytest.fixture
def sqlite_server(workdir):
    s = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir).start()
    yield s
    s.kill()
