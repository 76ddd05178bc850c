"""`manage.py bench_mail`: the figures of issue 13 for a mail server that goes away.

1. A fresh PostgreSQL database (devdata.mailbench.database), migrated, with the Bontang
   territory, verified cadres and published trainings made through the services.
2. The site as production runs it: gunicorn (sync workers, forkom/gunicorn_config.py) and one
   `db_worker`, DEBUG off, sending through a local SMTP server (devdata/smtp_stub.py).
3. The server refuses every connection for --outage-seconds while --clients signed-in cadres
   sign up for and cancel their training as fast as the site answers them.
4. The server accepts again: how long until the last email of the outage is delivered, and
   whether each went out exactly once.
5. With the worker stopped, --emails emails are queued; then the worker(s) start, and the
   time until the last is sent gives the drain rate, for each count in --drain-workers.

It prints a report and exits with status 1 when a request answered 5xx (or not at all), an
email was lost or sent twice, or the queue did not empty in time. Everything it started is
stopped and its database dropped, whatever happens.
"""

import math
import os
import platform
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from devdata.mailbench import delivery, load, people
from devdata.mailbench.database import BenchDatabase
from devdata.mailbench.processes import Site, TaskWorker, production_environment
from devdata.smtp_stub import SmtpStub, free_port
from forkom.outbox.models import OutgoingEmail

# allauth lets one address sign in 30 times a minute; every client signs in from 127.0.0.1.
MOST_CLIENTS = 30
GUNICORN_WORKERS = 2


class Command(BaseCommand):
    help = (
        "Measure a mail outage under load and the task worker's drain rate on a database of "
        "its own (created on DATABASE_URL's PostgreSQL server and dropped at the end)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outage-seconds", type=float, default=60, metavar="S")
        parser.add_argument(
            "--clients", type=int, default=16, help="Cadres acting at once (default: 16)."
        )
        parser.add_argument("--cadres", type=int, default=200, help="Verified cadres made.")
        parser.add_argument("--trainings", type=int, default=3)
        parser.add_argument(
            "--capacity",
            type=int,
            help="Seats per training (default: half its clients, so that some wait).",
        )
        parser.add_argument(
            "--emails", type=int, default=10_000, help="Emails queued for each drain."
        )
        parser.add_argument("--batch", type=int, default=500, help="Emails per transaction.")
        parser.add_argument(
            "--drain-workers",
            default="1,2",
            help="Worker processes for each drain, comma-separated (default: 1,2).",
        )
        parser.add_argument(
            "--recovery-timeout",
            type=float,
            default=360,
            metavar="S",
            help="How long to wait for the outage's emails once the server is back.",
        )
        parser.add_argument(
            "--drain-timeout", type=float, default=600, metavar="S", help="Per drain."
        )
        parser.add_argument(
            "--first-retry",
            type=int,
            default=settings.EMAIL_FIRST_RETRY_SECONDS,
            metavar="S",
            help="The worker's first pause before an email refused is tried again "
            "(EMAIL_FIRST_RETRY_SECONDS; default: this environment's, %(default)s).",
        )
        parser.add_argument(
            "--keep-logs",
            action="store_true",
            help="Keep the logs of gunicorn and the workers (kept anyway when a check fails).",
        )

    def handle(self, *args, **options):
        self.options = options
        self.check_options()
        self.started = time.monotonic()
        # Other work on the machine slows every figure: the report gives the load it ran under.
        self.loads = {"before the run": os.getloadavg()[0]}
        log_dir = Path(tempfile.mkdtemp(prefix="forkom-bench-mail-"))
        stub = SmtpStub()
        database = BenchDatabase.create()
        self.children = []
        try:
            report, problems = self.run(database, stub, log_dir)
        except CommandError as error:
            raise CommandError(f"{error} (logs of gunicorn and the workers: {log_dir})") from None
        finally:
            for child in self.children:
                child.stop()
            stub.stop()
            database.drop()
        self.stdout.write(report)
        if problems:
            raise CommandError(
                "; ".join(problems) + f" (logs of gunicorn and the workers: {log_dir})"
            )
        if options["keep_logs"]:
            self.stdout.write(f"Logs of gunicorn and the workers: {log_dir}")
            return
        for log in log_dir.iterdir():
            log.unlink()
        log_dir.rmdir()

    def check_options(self):
        options = self.options
        if not 1 <= options["clients"] <= min(MOST_CLIENTS, options["cadres"]):
            raise CommandError(
                f"--clients must be 1 to {MOST_CLIENTS} (allauth's sign-ins a minute from one "
                "address) and at most --cadres."
            )
        if options["trainings"] < 1 or options["emails"] < 1 or options["batch"] < 1:
            raise CommandError("--trainings, --emails and --batch must be 1 or more.")
        try:
            options["drain_workers"] = [int(n) for n in options["drain_workers"].split(",")]
        except ValueError:
            options["drain_workers"] = [0]
        if min(options["drain_workers"]) < 1:
            raise CommandError("--drain-workers: numbers of 1 or more, separated by commas.")
        if options["capacity"] is None:
            per_training = math.ceil(options["clients"] / options["trainings"])
            options["capacity"] = max(1, per_training // 2)
        if options["first_retry"] < 1:
            raise CommandError("--first-retry must be 1 second or more.")
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError(
                "With DEBUG off the site needs its collected static files: run "
                "`DEBUG=true manage.py collectstatic --noinput` first (make bench-mail does)."
            )

    def say(self, message):
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:4.0f} s, load {os.getloadavg()[0]:4.1f}] {message}")
        self.stdout.flush()

    def start(self, child):
        child.start()
        self.children.append(child)
        return child

    def run(self, database, stub, log_dir):
        options = self.options
        database.connect()
        self.say(f"Database {database.name}: migrated")
        people.load_bontang()
        admin = people.make_admin()
        password = secrets.token_urlsafe(16)
        emails = people.make_cadres(admin=admin, count=options["cadres"], password=password)
        trainings = people.make_trainings(
            admin=admin, count=options["trainings"], capacity=options["capacity"]
        )
        self.say(
            f"{len(emails)} verified cadres, {len(trainings)} trainings of "
            f"{options['capacity']} seat(s)"
        )

        port = free_port()
        environment = production_environment(
            database_url=database.url, smtp_port=stub.port, site_url=f"http://127.0.0.1:{port}"
        )
        environment["EMAIL_FIRST_RETRY_SECONDS"] = str(options["first_retry"])
        site = self.start(
            Site(workers=GUNICORN_WORKERS, environment=environment, log_dir=log_dir, port=port)
        )
        worker = self.start(TaskWorker(1, environment=environment, log_dir=log_dir))
        if not site.wait_until_ready():
            raise CommandError(f"gunicorn did not answer: see {site.log_path}")
        # The verification emails of the setting-up go out first, through the worker.
        if not delivery.wait_until_sent(OutgoingEmail.objects.all(), options["recovery_timeout"]):
            raise CommandError(f"The setting-up's emails were not sent: see {worker.log_path}")
        stub.received.clear()
        self.say(f"gunicorn ({GUNICORN_WORKERS} sync workers) and db_worker up: {site.url}")

        tally = load.Tally()
        cadres = [
            load.Cadre(
                site_url=site.url,
                email=email,
                password=password,
                training_path=trainings[number % len(trainings)].get_absolute_url(),
            )
            for number, email in enumerate(emails[: options["clients"]])
        ]
        errors = load.sign_in_all(cadres, tally, reverse("account_login"))
        if errors:
            raise CommandError("Signing in failed: " + "; ".join(errors[:3]))
        self.say(f"{len(cadres)} cadres signed in; the mail server now refuses every connection")

        stub.mode = "refuse"
        self.loads["at the outage"] = os.getloadavg()[0]
        outage_started = delivery.now()
        load_seconds = load.run_load(cadres, tally, options["outage_seconds"])
        outage_rows = OutgoingEmail.objects.filter(created_at__gte=outage_started)
        waiting = outage_rows.filter(status=OutgoingEmail.Status.PENDING).count()
        tasks_left = delivery.unfinished_tasks()
        stub.mode = "accept"
        recovered = delivery.now()
        self.say(
            f"Load over: {tally.count(load.KINDS[1:]):,} requests in {load_seconds:.1f} s; "
            f"the server accepts again ({waiting:,} emails waiting, {tasks_left:,} tasks left)"
        )
        delivered = delivery.wait_until_sent(outage_rows, options["recovery_timeout"])
        outage = delivery.OutageMail.measure(
            since=outage_started, recovered=recovered, received=list(stub.received)
        )
        self.say(
            f"{outage.sent:,} emails of the outage delivered"
            + ("" if delivered else f"; gave up after {options['recovery_timeout']:.0f} s")
        )
        site.stop()
        worker.stop()

        drains = []
        for workers in options["drain_workers"]:
            drains.append(self.drain(workers, stub, environment, log_dir))

        report = self.report(
            database=database,
            tally=tally,
            load_seconds=load_seconds,
            waiting=waiting,
            outage=outage,
            drains=drains,
        )
        problems = []
        failures = tally.failures()
        if failures:
            problems.append(
                "requests that failed: "
                + ", ".join(f"{status}: {count}" for status, count in failures.items())
            )
        if not delivered:
            problems.append(
                f"the outage's emails were not all sent {options['recovery_timeout']:.0f} s "
                "after the server came back"
            )
        problems += outage.problems()
        for drain in drains:
            problems += drain.problems()
        return report, problems

    def drain(self, workers, stub, environment, log_dir):
        options = self.options
        label = f"w{workers}"
        stub.received.clear()
        queueing = time.monotonic()
        delivery.queue_emails(label=label, count=options["emails"], batch=options["batch"])
        queue_seconds = time.monotonic() - queueing
        self.say(
            f"{options['emails']:,} emails queued in {queue_seconds:.1f} s; "
            f"starting {workers} worker(s)"
        )
        self.loads[f"at the drain by {workers}"] = os.getloadavg()[0]
        started = delivery.now()
        running = [
            self.start(TaskWorker(number, environment=environment, log_dir=log_dir))
            for number in range(1, workers + 1)
        ]
        completed = delivery.wait_until_sent(delivery.drain_rows(label), options["drain_timeout"])
        for worker in running:
            worker.stop()
        result = delivery.Drain.measure(
            label=label,
            workers=workers,
            count=options["emails"],
            queue_seconds=queue_seconds,
            started=started,
            completed=completed,
            received=list(stub.received),
        )
        self.say(
            f"{workers} worker(s): {result.sent:,} sent"
            + (f" in {result.seconds:.1f} s" if result.seconds else "")
        )
        return result

    def report(self, *, database, tally, load_seconds, waiting, outage, drains):
        options = self.options
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgresql = cursor.fetchone()[0]
        lines = [
            "",
            "Mail outage and the task queue (manage.py bench_mail)",
            f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"PostgreSQL {postgresql.split()[0]}; database {database.name} (dropped)",
            "1-minute load average: "
            + ", ".join(f"{load:.1f} {moment}" for moment, load in self.loads.items()),
            f"Data: {options['cadres']} verified cadres, {options['trainings']} trainings of "
            f"{options['capacity']} seat(s); site: gunicorn with {GUNICORN_WORKERS} sync "
            f"workers and 1 db_worker, DEBUG off; an email refused is tried again after "
            f"{options['first_retry']} s, then after twice as long each time",
            "",
            f"Requests: {options['clients']} signed-in cadres, each opening its training's page "
            "and pressing its button (sign up / cancel),",
            f"for {load_seconds:.1f} s while the mail server refused every connection "
            "(sign-ins before it):",
            "",
        ]
        rows = [tally.row(kind, [kind]) for kind in load.KINDS]
        rows.append(tally.row("all during the outage", load.KINDS[1:]))
        lines += table(
            ["request", "count", "statuses", "median", "p95", "max"],
            [row.cells() for row in rows],
            align="lrlrrr",
        )
        per_second = tally.count(load.KINDS[1:]) / load_seconds if load_seconds else 0
        lines += [
            f"({per_second:.1f} requests/s; 302 is the redirect after a saved sign-in, "
            "sign-up or cancellation)",
            "",
            "Emails of the outage (each sign-up, place on the waitlist and seat from it tells "
            "the cadre once):",
        ]
        last = (
            f", the last {outage.last_after_recovery:.1f} s after the server came back"
            if outage.last_after_recovery is not None
            else ""
        )
        lines += table(
            ["", ""],
            [
                ["written to the outbox from the outage's start", f"{outage.queued:,}"],
                ["waiting when the server came back", f"{waiting:,}"],
                ["delivered while it refused", f"{outage.sent_during_outage:,}"],
                ["delivered in all", f"{outage.sent:,}{last}"],
                [
                    "due from the training events",
                    f"{outage.expected.total():,} to {len(outage.expected):,} cadres",
                ],
                ["lost", f"{outage.missing:,}"],
                [
                    "received more than once",
                    f"{outage.duplicates:,} ({outage.recipients_with_duplicates:,} recipients)",
                ],
                [
                    "outbox rows sent / messages received",
                    f"{outage.sent:,} / {outage.received:,} "
                    f"(pending {outage.pending:,}, failed {outage.failed:,})",
                ],
            ],
            align="ll",
        )
        lines += [
            "",
            f"Draining a queue of {options['emails']:,} emails (server accepting, gunicorn "
            "stopped; time from starting the workers to the last email sent):",
            "",
        ]
        lines += table(
            ["workers", "queued in", "drained in", "messages/s", "steady", "lost", "twice"],
            [
                [
                    str(drain.workers),
                    f"{drain.queue_seconds:.1f} s",
                    f"{drain.seconds:.1f} s" if drain.completed else "not finished",
                    f"{drain.rate:.1f}" if drain.rate else "",
                    f"{drain.steady_rate:.1f}" if drain.steady_rate else "",
                    f"{drain.missing:,}",
                    f"{drain.duplicates:,}",
                ]
                for drain in drains
            ],
            align="rrrrrrr",
        )
        lines += [
            "(steady: from the first email sent to the last, without the workers' start-up)",
            "",
        ]
        return "\n".join(lines)


def table(headers, rows, align):
    """Plain-text columns; `align` has an "l" or "r" per column (an empty header: none)."""
    widths = [
        max(len(cells[index]) for cells in [headers, *rows]) for index in range(len(headers))
    ]

    def line(cells):
        return "  ".join(
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ).rstrip()

    lines = [line(headers), line(["-" * width for width in widths])] if any(headers) else []
    return lines + [line(cells) for cells in rows]
