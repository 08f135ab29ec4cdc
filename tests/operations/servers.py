"""App servers for the operations tests: gunicorn processes started from the repository's
gunicorn.conf.py against the test database, as production starts them, on 127.0.0.1."""

import os
import re
import signal
import socket
import subprocess  # noqa: S404 - starts gunicorn, no shell
import sys
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF = "a" * 16 + "B" * 16  # a CSRF secret both servers accept: cookie and header agree


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


class Server:
    def __init__(self, var_dir: Path, *, workers: int = 2, threads: int = 4, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(var_dir / f"gunicorn-{self.port}.log", "w+b")  # noqa: SIM115
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.operations.server_settings",
            "DATABASE_URL": database_url(),
            "COMMISSIONING_VAR_DIR": str(var_dir),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_ACCESS_LOG": "-",
            "LOG_FORMAT": "json",
            "CONN_MAX_AGE": "0",
            **(env or {}),
        }
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.output()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def start(var_dir: Path, count: int, **kwargs) -> list[Server]:
    servers = [Server(var_dir, **kwargs) for _ in range(count)]
    try:
        for server in servers:
            server.wait_ready()
    except Exception:
        for server in servers:
            server.stop()
        raise
    return servers


def http_session(sessionid: str | None = None) -> requests.Session:
    """A browser of sorts: the session cookie (valid on every server, as sessions live in the
    database) and a CSRF cookie with the matching header."""
    session = requests.Session()
    session.headers["X-CSRFToken"] = CSRF
    session.cookies.set("csrftoken", CSRF, domain="127.0.0.1")
    if sessionid:
        session.cookies.set("sessionid", sessionid, domain="127.0.0.1")
    return session


def signed_in_session(user, *, mfa: bool) -> str:
    """The session key of a sign-in made in this process, as a real one leaves it."""
    from django.test import Client

    from tests.accounts.factories import sign_in

    client = Client()
    sign_in(client, user, mfa=mfa)
    return client.cookies["sessionid"].value


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
