"""The site as production runs it, in child processes of the benchmark: gunicorn (sync workers,
forkom/gunicorn_config.py) and `manage.py db_worker`, with DEBUG off and the production
settings that a plain-HTTP address on 127.0.0.1 allows. Each writes to a log file of its
own, kept until the end of the run (named in the report when something failed)."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from forkom.serving import gunicorn_command

REPO = Path(settings.BASE_DIR)


def production_environment(*, database_url: str, smtp_port: int, site_url: str) -> dict:
    """The environment of `make serve` in production, on plain HTTP at 127.0.0.1."""
    environment = {
        name: value
        for name, value in os.environ.items()
        # The benchmark's database alone, and the database cache (as without Redis).
        if name not in {"DATABASE_REPLICA_URL", "REDIS_URL"}
    }
    environment.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "FORKOM_SITE_URL": site_url,
            # Plain HTTP on the loopback: no TLS to redirect to, cookies without `Secure`.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    return environment


class Child:
    """A child process whose output goes to `<log_dir>/<name>.log`."""

    def __init__(self, name: str, command: list[str], *, environment: dict, log_dir: Path):
        self.name = name
        self.command = command
        self.environment = environment
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (gunicorn and db_worker finish what they are doing), SIGKILL after
        `timeout` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class Site(Child):
    """gunicorn with `workers` sync workers on a free port of 127.0.0.1."""

    def __init__(self, *, workers: int, environment: dict, log_dir: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        super().__init__(
            "gunicorn",
            gunicorn_command(
                port=port,
                workers=workers,
                # Leave the control socket in ~/.gunicorn to a gunicorn that serves the site.
                options=["--no-control-socket"],
            ),
            environment=environment,
            log_dir=log_dir,
        )

    def wait_until_ready(self, timeout: float = 60) -> bool:
        """Whether /healthz answered 200 within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return True
            except OSError:  # not listening yet, or an error page
                pass
            time.sleep(0.2)
        return False


class TaskWorker(Child):
    """One `manage.py db_worker`, as production runs it beside gunicorn."""

    def __init__(self, number: int, *, environment: dict, log_dir: Path):
        super().__init__(
            f"db_worker-{number}",
            [sys.executable, "manage.py", "db_worker"],
            environment=environment,
            log_dir=log_dir,
        )
