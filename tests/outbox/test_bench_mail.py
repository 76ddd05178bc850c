"""`manage.py bench_mail` (make bench-mail, docs/performance.md) keeps working: a small run
end to end on PostgreSQL, and the checks that decide its exit status."""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

from devdata.mailbench.delivery import Drain, OutageMail
from devdata.mailbench.load import Tally, post_forms

REPO = Path(__file__).resolve().parents[2]


def test_a_small_run_measures_the_outage_and_the_drain_and_cleans_up(postgresql_only, db):
    # About 20 s. The worker's first pause before it tries a refused email again is 2 s
    # here, not production's 30 s of waiting.
    server = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    finished = subprocess.run(
        [
            sys.executable, "manage.py", "bench_mail", "--outage-seconds", "2",
            "--cadres", "6", "--clients", "3", "--trainings", "1",
            "--emails", "60", "--batch", "25", "--drain-workers", "2", "--first-retry", "2",
        ],
        cwd=REPO,
        # The server alone: the benchmark makes a database of its own there, and drops it.
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": server},
        capture_output=True,
        text=True,
        timeout=150,
    )  # fmt: skip
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    assert re.search(r"^lost +0$", output, re.MULTILINE)
    assert re.search(r"^received more than once +0 \(0 recipients\)$", output, re.MULTILINE)
    # The worker ran with the short pause: with production's 30 s, the outage's last email
    # would come about 30 s after the server took mail again.
    after = float(re.search(r"the last ([\d.]+) s after the server came back", output)[1])
    assert after < 20, output
    drain = re.search(r"^ +2 .*$", output, re.MULTILINE).group()
    assert drain.split()[-2:] == ["0", "0"]  # none lost, none twice
    database = re.search(r"forkom_bench_mail_[0-9a-f]{8}", output).group()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [database])
        assert cursor.fetchone()[0] == 0  # dropped


def test_an_error_page_or_no_answer_fails_the_run_and_a_refusal_does_not():
    tally = Tally()
    tally.add("sign-up (POST)", 302, 0.05)
    tally.add("sign-up (POST)", 409, 0.05)
    assert tally.failures() == Counter()
    tally.add("training page", 502, 0.05)
    tally.add("training page", "ConnectionResetError", 0.05)
    assert tally.failures() == Counter({502: 1, "ConnectionResetError": 1})


def test_a_lost_and_a_duplicated_email_are_each_found():
    outage = OutageMail(
        queued=3, sent=3, pending=0, failed=0, sent_during_outage=0, received=3,
        last_after_recovery=10.0, failed_tasks=0,
        expected=Counter({"ani@x.invalid": 2, "budi@x.invalid": 1}),
        got=Counter({"ani@x.invalid": 1, "budi@x.invalid": 2}),
    )  # fmt: skip
    assert (outage.missing, outage.duplicates, outage.recipients_with_duplicates) == (1, 1, 1)
    assert len(outage.problems()) == 2
    drain = Drain(
        workers=1, count=10, queue_seconds=1.0, completed=True, seconds=2.0, steady_rate=5.0,
        sent=10, missing=0, duplicates=1,
    )  # fmt: skip
    assert drain.problems() == ["1 worker(s): 0 email(s) missing, 1 received twice"]


def test_the_buttons_are_read_from_the_page_with_their_token():
    page = (
        '<form method="post" action="/i18n/setlang/">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="a"></form>'
        '<form method="post" action="/pelatihan/7/batal/">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="b">'
        '<button type="submit">Batal</button></form>'
    )
    assert post_forms(page) == [
        ("/i18n/setlang/", {"csrfmiddlewaretoken": "a"}),
        ("/pelatihan/7/batal/", {"csrfmiddlewaretoken": "b"}),
    ]
