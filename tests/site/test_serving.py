"""The portal as gunicorn serves it (forkom/gunicorn_config.py, used by `make serve`)."""

import gc
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from forkom import serving
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

    # The worker froze what it holds once started (forkom.serving.worker_started).
    assert "Worker started: " in output
    assert " objects frozen for the garbage collector" in output
    access = [line for line in output.splitlines() if '"GET /kader/daftar-kader/ ' in line]
    assert len(access) == 1, output
    for secret in ("081234567890", "Siti", "siti", "contoh.id", "q="):
        assert secret not in access[0]


class Worker:
    """What forkom.serving reads of a gunicorn worker: its request count and its log."""

    def __init__(self, nr=0):
        self.nr = nr
        self.logged = []
        self.log = self

    def info(self, message, *args):
        self.logged.append(message % args)


def test_a_started_worker_leaves_what_it_holds_out_of_the_collectors_passes():
    gc.unfreeze()
    try:
        worker = Worker()
        serving.worker_started(worker)
        frozen = gc.get_freeze_count()
        # The modules, the URLconf and every view: 150,000 objects and more in a worker.
        assert frozen > 50_000
        assert worker.logged == [
            f"Worker started: {frozen} objects frozen for the garbage collector"
        ]
    finally:
        gc.unfreeze()


def test_what_the_first_requests_built_is_frozen_once_after_a_thousand():
    gc.unfreeze()
    try:
        for nr in (1, 999, 1001, 5000):
            serving.request_served(Worker(nr))
            assert gc.get_freeze_count() == 0, nr
        worker = Worker(serving.FREEZE_AGAIN_AFTER_REQUESTS)
        serving.request_served(worker)
        assert gc.get_freeze_count() > 0
        assert len(worker.logged) == 1
    finally:
        gc.unfreeze()
