"""The one way the portal writes and sends its own emails (allauth sends its own).

A message is two templates: `<name>_subject.txt` (one line) and `<name>.txt` (the body),
rendered in the site's language with the same context; the subject gets the portal's
prefix.

Nothing a user does waits on a mail server. `send` renders the message and stores it as an
`OutgoingEmail` row with its delivery task (django.tasks, the django-tasks-db backend) in the
current transaction: a rolled-back change sends nothing, a committed one always has its
task. The worker (`manage.py db_worker`) delivers it, retrying transient SMTP errors with
backoff; staff see failures in the admin. `later` runs a function in the worker instead
of the request (reading the committed rows again): how services tell many people at once.

Each message has a key, unique in the outbox: the same key written twice is one email. A
function run by `later` that is retried after a crash writes the same keys again (they
are derived from its task's id and the order of its messages), so nobody gets it twice
and nobody is skipped.
"""

import contextvars
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

# Inside a function that `later` runs: (its task's id, how many messages it has written).
_origin: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "forkom_mail_origin", default=None
)


# A text file sent with a message: (file name, content, MIME type), e.g. a calendar entry.
Attachment = tuple[str, str, str]


def message(
    *,
    to: str | Sequence[str],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """The email `template` for `to`, rendered in the site's language."""
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    one_line = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    email = EmailMessage(one_line, body, None, recipients)
    for name, content, mimetype in attachments:
        email.attach(name, content, mimetype)
    return email


def send(
    *,
    to: str | Sequence[str],
    template: str,
    context: dict[str, Any],
    key: str = "",
    attachments: Sequence[Attachment] = (),
) -> None:
    """Queue one email (see the module's text): rendered now, delivered by the worker.
    `attachments` are text files (a calendar entry), stored with the message until sent."""
    email = message(to=to, template=template, context=context, attachments=attachments)
    send_all([email], keys=[key])


def send_all(messages: Iterable[EmailMessage], keys: Sequence[str] = ()) -> None:
    """Queue several emails, each to its own recipients."""
    from forkom.outbox import services

    for index, email in enumerate(messages):
        given = keys[index] if index < len(keys) else ""
        services.queue(email, key=given or _next_key())


def later(function: Callable[..., Any], /, *args: Any) -> None:
    """Run `function(*args)` in the task worker once the current transaction commits (the
    task is stored in it). `function` is a module-level function; `args` are plain values
    (ids, strings), as the function reads the rows it needs again."""
    from forkom.http import request_origin
    from forkom.outbox import tasks

    path = f"{function.__module__}.{function.__qualname__}"
    # The links it writes follow the address the request came to (forkom.http.absolute_url).
    tasks.run_later.enqueue(path, list(args), request_origin.get())


def message_key() -> str:
    """A key for a message about to be written, by the rule of the module's text: the same
    on a retried run of a function that `later` runs, unique otherwise."""
    return _next_key()


def _next_key() -> str:
    origin = _origin.get()
    if origin is None:
        return uuid.uuid4().hex
    origin[1] += 1
    return f"{origin[0]}:{origin[1]}"


def run_as(
    origin_id: str, function: Callable[..., Any], args: Sequence[Any], site: str = ""
) -> Any:
    """Run `function(*args)` with the messages it sends keyed by `origin_id` (the worker),
    and their links built as for the request that asked for it (`site`, its origin)."""
    from forkom.http import request_origin

    token = _origin.set([origin_id, 0])
    site_token = request_origin.set(site)
    try:
        return function(*args)
    finally:
        request_origin.reset(site_token)
        _origin.reset(token)
