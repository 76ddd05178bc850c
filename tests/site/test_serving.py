"""The portal as gunicorn serves it (forkom/gunicorn_config.py, used by `make serve`)."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from forkom.serving import gunicorn_command

REPO = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_access_log_keeps_the_path_but_no_query_string_or_referrer(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        gunicorn_command(port=port, workers=1),
        cwd=REPO,
        env={
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.sqlite3'}",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/kader/daftar-kader/?q=081234567890&nama=Siti+Rahmawati",
            headers={"Referer": f"http://127.0.0.1:{port}/admin/?q=siti%40contoh.id"},
        )
        for _ in range(100):  # up to 10 s for the worker to start
            try:
                urllib.request.urlopen(request, timeout=5)
                break
            except urllib.error.HTTPError:
                break  # any answer is logged
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)

    access = [line for line in output.splitlines() if '"GET /kader/daftar-kader/ ' in line]
    assert len(access) == 1, output
    for secret in ("081234567890", "Siti", "siti", "contoh.id", "q="):
        assert secret not in access[0]
