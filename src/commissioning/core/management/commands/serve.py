"""Start the web server and a background worker together, as `make run` does: one command,
and Ctrl+C (or SIGTERM) stops both. In production run them as separate services instead
(docs/deployment.md)."""

import os
import signal
import subprocess  # noqa: S404 - starts this product's own commands, no shell
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand

import commissioning


def site_url_for(addrport: str) -> str:
    """The address e-mail links point at when the server is started on `addrport`
    ("8101", "0.0.0.0:8101", "[::1]:8101"): the port it listens on, on this machine."""
    host, _, port = addrport.rpartition(":")
    if not host or host in {"0.0.0.0", "[::]"}:  # noqa: S104 - naming the address, not binding
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run the development web server and the background worker (db_worker) together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        env = os.environ.copy()
        src = str(Path(commissioning.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [src, env.get("PYTHONPATH", "")] if p)
        # Links in e-mails point at this server unless SITE_URL says otherwise.
        env.setdefault("SITE_URL", site_url_for(options["addrport"]))
        manage = [sys.executable, "-m", "django"]
        # Each child leads its own process group, so that a signal reaches the child and
        # anything it started (runserver's reloader) exactly once, through this process.
        commands = [[*manage, "db_worker", "--reload"], [*manage, "runserver", options["addrport"]]]
        children = [
            subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
            for command in commands
        ]

        def stop(signum, _frame=None):
            for child in children:
                if child.poll() is None:
                    os.killpg(child.pid, signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        stop(signal.SIGTERM)  # one has stopped (or was stopped): stop the other too
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        code = next((c.returncode for c in children if c.returncode not in (0, None)), 0)
        if code and code not in (-signal.SIGTERM, -signal.SIGINT):
            sys.exit(code)
