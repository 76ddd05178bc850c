"""The deletion log: that a person was forgotten, kept where a restore cannot undo it.

DESIGN.md promises that a restore from backup re-applies every deletion recorded since
(UU 27/2022). Forgetting a person (forkom.personal_data.forget) is therefore recorded twice:
a ForgottenPerson row in the same transaction, and, once that is committed, one JSON line
appended to a file outside the database,

    {"user_id": 42, "public_id": "5b6f...", "at": "2026-03-01T02:03:04.000000+00:00"}

A restore of an older dump loses the newer rows together with the anonymisation they
record; the file, kept and backed up apart from the database (docs/operations.md), still
has them, and `manage.py reapply_deletions` forgets those people again. Neither record holds
personal data: an account id and a profile's public id mean nothing outside the database.

The file is the setting FORKOM_DELETION_LOG (the environment variable of the same name
until settings.py reads it); with DEBUG on it defaults to var/deletion-log.jsonl in the
project. Each line is appended with O_APPEND in one write and flushed to disk, so that
several gunicorn workers never interleave their lines.
"""

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.utils import timezone

from forkom.env import env_str
from forkom.models import ForgottenPerson

logger = logging.getLogger(__name__)

SETTING = "FORKOM_DELETION_LOG"


@dataclass(frozen=True)
class Entry:
    """One line of the log: account `user_id` (cadre profile `public_id`) forgotten `at`."""

    user_id: int
    public_id: UUID | None
    at: datetime


def path() -> Path | None:
    """Where the log is appended to; None when production has not said (a deploy check)."""
    configured = getattr(settings, SETTING, None)
    if configured is None:
        development = Path(settings.BASE_DIR) / "var" / "deletion-log.jsonl"
        configured = env_str(SETTING, str(development) if settings.DEBUG else "")
    return Path(configured) if configured else None


def record(*, user_id: int, public_id: UUID | None) -> ForgottenPerson:
    """Record, inside the forgetting's transaction, that `user_id` was forgotten now; the
    line goes to the file once the transaction is committed (a rollback writes none)."""
    forgotten = ForgottenPerson.objects.create(
        user_id=user_id, public_id=public_id, at=timezone.now()
    )
    entry = Entry(user_id=forgotten.user_id, public_id=forgotten.public_id, at=forgotten.at)
    transaction.on_commit(partial(_append, line(entry)))
    return forgotten


def is_forgotten(*, user_id: int, since: datetime) -> bool:
    """Whether this database records `user_id` as forgotten at `since` or later."""
    return ForgottenPerson.objects.filter(user_id=user_id, at__gte=since).exists()


def line(entry: Entry) -> str:
    record = {
        "user_id": entry.user_id,
        "public_id": str(entry.public_id) if entry.public_id else None,
        "at": entry.at.astimezone(UTC).isoformat(),
    }
    return json.dumps(record, separators=(", ", ": ")) + "\n"


def read(log: Path) -> tuple[list[Entry], list[str]]:
    """The entries of the file `log`, and what was wrong with the lines that are not one
    (a line cut short by a crash is reported and skipped, never guessed at)."""
    entries, problems = [], []
    with log.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                entries.append(_entry(json.loads(text)))
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"line {number} is not a deletion record ({error}): skipped")
    return entries, problems


def _entry(data: Any) -> Entry:
    user_id, public_id = data["user_id"], data.get("public_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise TypeError("user_id is not a number")
    at = datetime.fromisoformat(data["at"])
    if timezone.is_naive(at):
        raise ValueError("at has no time zone")
    return Entry(user_id=user_id, public_id=UUID(public_id) if public_id else None, at=at)


def _append(text: str) -> None:
    """Append one line; a failure is logged with the line itself (no personal data in it),
    so that an operator can add it by hand: the deletion is done and stays done."""
    log = path()
    if log is None:
        logger.error("%s is not set: add this line to the deletion log by hand: %s", SETTING, text)
        return
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, text.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        logger.error(
            "Cannot append to the deletion log %s (%s); add by hand: %s", log, error, text
        )


def check_log_path(**kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy`: production says where the log goes, and it can be written there."""
    log = path()
    if log is None:
        return [
            checks.Error(
                f"{SETTING} is not set: deletions could not be re-applied after a restore.",
                hint="Point it at a file outside the database's backups (docs/operations.md).",
                id="deletion_log.E001",
            )
        ]
    if log.exists():
        writable = os.access(log, os.W_OK)
    else:
        writable = log.parent.is_dir() and os.access(log.parent, os.W_OK)
    if not writable:
        return [
            checks.Error(
                f"The deletion log {log} cannot be written by this user.",
                hint="Create its directory and give the app's user the right to write there.",
                id="deletion_log.E002",
            )
        ]
    return []
