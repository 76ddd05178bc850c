"""The one way the portal writes and sends its own emails (allauth sends its own).

A message is two templates: `<name>_subject.txt` (one line) and `<name>.txt` (the body),
rendered in the site's language with the same context; the subject gets the portal's
prefix. Services never send inside their transaction: they schedule the sending with
`after_commit`, so a rolled-back change sends nothing, and the sending function reads the
committed rows again.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def message(*, to: str | Sequence[str], template: str, context: dict[str, Any]) -> EmailMessage:
    """The email `template` for `to`, rendered in the site's language."""
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    one_line = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return EmailMessage(one_line, body, None, recipients)


def send(*, to: str | Sequence[str], template: str, context: dict[str, Any]) -> None:
    """Send one email now (from a function that `after_commit` scheduled)."""
    message(to=to, template=template, context=context).send()


def send_all(messages: Iterable[EmailMessage]) -> None:
    """Send several emails over one connection, each to its own recipients."""
    messages = list(messages)
    if messages:
        mailers.default.send_messages(messages)


def after_commit(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """Run `function(*args, **kwargs)` (which sends) once the current transaction commits."""
    transaction.on_commit(partial(function, *args, **kwargs))
