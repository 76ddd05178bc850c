"""What the mail server should have got and what it got.

Every email of the load is told by a training event (a sign-up, a place on the waitlist, a seat
from the waitlist: trainings.services `sign_up` and `_promote`), so each cadre's count of
those events is the number of emails they must receive: fewer is a lost email, more a
duplicate. The outbox's own rows are compared with the server's count as well.
"""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forkom import mail
from forkom.outbox.models import OutgoingEmail
from trainings.models import TrainingEvent

Status = OutgoingEmail.Status
TOLD = [TrainingEvent.Kind.REGISTERED, TrainingEvent.Kind.WAITLISTED, TrainingEvent.Kind.PROMOTED]
DRAIN_DOMAIN = "antrean.bench.forkom.invalid"


def unfinished_tasks() -> int:
    """Tasks still to run: due now, due later (a retry after a pause), or running."""
    return DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).count()


def wait_until_sent(rows: QuerySet[OutgoingEmail], timeout: float) -> bool:
    """Whether, within `timeout` seconds, no task is left and none of `rows` waits."""
    deadline = time.monotonic() + timeout
    while True:
        if not unfinished_tasks() and not rows.filter(status=Status.PENDING).exists():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


@dataclass
class OutageMail:
    """The emails written from the start of the outage on, once the queue is empty."""

    queued: int
    sent: int
    pending: int
    failed: int
    sent_during_outage: int
    received: int
    last_after_recovery: float | None
    failed_tasks: int
    expected: Counter
    got: Counter

    @classmethod
    def measure(cls, *, since: datetime, recovered: datetime, received: list) -> "OutageMail":
        rows = OutgoingEmail.objects.filter(created_at__gte=since).aggregate(
            queued=Count("pk"),
            sent=Count("pk", filter=Q(status=Status.SENT)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            sent_during_outage=Count("pk", filter=Q(sent_at__lt=recovered)),
            last=Max("sent_at"),
        )
        last = rows.pop("last")
        told = TrainingEvent.objects.filter(kind__in=TOLD, at__gte=since)
        return cls(
            **rows,
            received=len(received),
            last_after_recovery=(last - recovered).total_seconds() if last else None,
            failed_tasks=DBTaskResult.objects.filter(
                status=TaskResultStatus.FAILED, enqueued_at__gte=since
            ).count(),
            expected=Counter(told.values_list("registration__profile__user__email", flat=True)),
            got=Counter(message["To"] for message in received),
        )

    @property
    def missing(self) -> int:
        return (self.expected - self.got).total()

    @property
    def duplicates(self) -> int:
        return (self.got - self.expected).total()

    @property
    def recipients_with_duplicates(self) -> int:
        return len(self.got - self.expected)

    def problems(self) -> list[str]:
        found = []
        if self.pending or self.failed:
            found.append(f"{self.pending} email(s) still waiting, {self.failed} failed")
        if self.missing:
            found.append(f"{self.missing} email(s) of the outage never arrived")
        if self.duplicates:
            found.append(
                f"{self.duplicates} email(s) of the outage arrived twice "
                f"({self.recipients_with_duplicates} recipient(s))"
            )
        if self.sent != self.received:
            found.append(f"{self.sent} rows sent but {self.received} messages received")
        if self.failed_tasks:
            found.append(f"{self.failed_tasks} task(s) failed with an exception")
        return found


def drain_rows(label: str) -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(key__startswith=f"bench-drain-{label}-")


def drain_address(label: str, number: int) -> str:
    return f"{label}-{number:05d}@{DRAIN_DOMAIN}"


def queue_emails(*, label: str, count: int, batch: int) -> None:
    """`count` emails through `forkom.mail`, `batch` to a transaction, each to its own
    address (so that the server's copies can be matched one to one)."""
    for start in range(0, count, batch):
        with transaction.atomic():
            for number in range(start, min(start + batch, count)):
                mail.send(
                    to=drain_address(label, number),
                    template="devdata/email/drain",
                    context={"number": number + 1, "count": count},
                    key=f"bench-drain-{label}-{number}",
                )


@dataclass
class Drain:
    """One run of the drain: `count` emails waiting, then `workers` worker processes started."""

    workers: int
    count: int
    queue_seconds: float
    completed: bool
    seconds: float | None  # from starting the workers to the last email sent
    steady_rate: float | None  # from the first email sent to the last
    sent: int
    missing: int
    duplicates: int

    @classmethod
    def measure(
        cls,
        *,
        label: str,
        workers: int,
        count: int,
        queue_seconds: float,
        started: datetime,
        completed: bool,
        received: list,
    ) -> "Drain":
        rows = drain_rows(label).aggregate(
            sent=Count("pk", filter=Q(status=Status.SENT)),
            first=Min("sent_at"),
            last=Max("sent_at"),
        )
        got = Counter(message["To"] for message in received)
        wanted = Counter(drain_address(label, number) for number in range(count))
        first, last = rows["first"], rows["last"]
        return cls(
            workers=workers,
            count=count,
            queue_seconds=queue_seconds,
            completed=completed,
            seconds=(last - started).total_seconds() if last else None,
            steady_rate=(count - 1) / (last - first).total_seconds()
            if completed and count > 1 and last > first
            else None,
            sent=rows["sent"],
            missing=(wanted - got).total(),
            duplicates=(got - wanted).total(),
        )

    @property
    def rate(self) -> float | None:
        return self.count / self.seconds if self.completed and self.seconds else None

    def problems(self) -> list[str]:
        found = []
        if not self.completed:
            found.append(f"{self.workers} worker(s): {self.count - self.sent} email(s) left")
        if self.missing or self.duplicates:
            found.append(
                f"{self.workers} worker(s): {self.missing} email(s) missing, "
                f"{self.duplicates} received twice"
            )
        return found


def now() -> datetime:
    return timezone.now()
