"""Telling people: a row in their inbox on the site, and an email if they want one.

`tell` is what every app calls instead of writing an email itself. It writes the
notifications in bulk, keeps each person's unread count (the menu reads it from the user
row, at no cost) by recounting under a lock of the person's row, and queues the emails
through forkom.mail for those whose preference for the kind is on.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forkom import mail, texts
from forkom.accounts.models import User
from forkom.accounts.services import lock_open_account
from forkom.http import absolute_url
from forkom.notifications import kinds
from forkom.notifications.models import EmailPreference, Notification


def tell(
    users: Iterable[Any],
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    url: str = "",
    key: str = "",
    attachments: Sequence[mail.Attachment] = (),
) -> None:
    """Notify `users` of one thing: `template` is an email's pair of templates
    (`<template>_subject.txt`, `<template>.txt`), whose subject line is also the inbox's
    text; `url` is the path of the page it is about (the email gets it as `link`). With a
    `key`, telling the same person twice is once."""
    people = [user for user in users if user is not None and user.is_active]
    if not people:
        return
    kinds.get(kind)  # an undeclared kind is a programming error
    subjects = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            subjects[language] = text[:300]
    subject, other_subjects = texts.apart(subjects)
    link = absolute_url(url) if url else ""
    context = {**context, "link": link or context.get("link", "")}
    keys = [f"{key}:{user.pk}" if key else mail.message_key() for user in people]
    with transaction.atomic():
        _lock(user.pk for user in people)
        Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    kind=kind,
                    subject=subject,
                    other_subjects=other_subjects,
                    url=url,
                    key=one,
                )
                for user, one in zip(people, keys, strict=True)
            ],
            ignore_conflicts=True,
        )
        _recount(user.pk for user in people)
        wanted = wants_email(people, kind)
        for user, one in zip(people, keys, strict=True):
            if user.pk in wanted:
                mail.send(
                    to=user.email,
                    template=template,
                    context=context,
                    key=f"{one}:mail",
                    attachments=attachments,
                )


def tell_all(
    recipients: QuerySet[Any],
    *,
    kind: str,
    subject: str,
    url: str,
    key: str,
    template: str,
    context: dict[str, Any],
) -> int:
    """Notify every user of `recipients` (a query, possibly of tens of thousands) of one
    thing: one INSERT ... SELECT writes the inbox rows in the database, without a row
    passing through Python; the unread counts are recounted in one UPDATE under the users'
    row locks; emails go only to those who chose them for `kind`. `key` makes it
    idempotent: a retried task writes no second row. Returns how many were written."""
    kinds.get(kind)
    users = recipients.filter(is_active=True).order_by().values("pk")
    table = Notification._meta.db_table
    quote = connection.ops.quote_name
    select_sql, select_params = users.query.sql_with_params()
    columns = ", ".join(
        quote(column) for column in ("user_id", "kind", "subject", "url", "key", "created_at")
    )
    with transaction.atomic():
        _lock(users)
        with connection.cursor() as cursor:
            # `WHERE true` keeps SQLite from reading ON CONFLICT as part of a join.
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) "
                f"SELECT recipient.pk, %s, %s, %s, %s || CAST(recipient.pk AS TEXT), %s "
                f"FROM ({select_sql}) recipient WHERE true ON CONFLICT DO NOTHING",
                [kind, subject[:300], url, f"{key}:", timezone.now(), *select_params],
            )
            written = cursor.rowcount
        _recount(users)
        opted_in = (
            EmailPreference.objects.filter(kind=kind, email=True, user__in=users)
            .exclude(user__email=None)
            .values_list("user_id", "user__email")
        )
        link = absolute_url(url)
        for user_id, email in opted_in:
            if not email:
                continue
            mail.send(
                to=email,
                template=template,
                context={**context, "link": link},
                key=f"{key}:{user_id}:mail",
            )
    return max(written, 0)


def wants_email(users: Sequence[Any], kind: str) -> set[int]:
    """The ids of `users` with an address who get `kind` by email too (one query)."""
    chosen = dict(
        EmailPreference.objects.filter(user__in=[u.pk for u in users], kind=kind).values_list(
            "user_id", "email"
        )
    )
    declared = kinds.get(kind)
    return {user.pk for user in users if _by_email(user, chosen.get(user.pk), declared)}


def email_choices(user: Any) -> dict[str, bool]:
    """For each declared kind, whether `user` gets it by email too, as wants_email answers
    for them, kind by kind: in one query (the preferences page asked once per kind)."""
    chosen = dict(EmailPreference.objects.filter(user=user.pk).values_list("kind", "email"))
    return {kind.name: _by_email(user, chosen.get(kind.name), kind) for kind in kinds.all_kinds()}


def _by_email(user: Any, chosen: bool | None, kind: kinds.Kind) -> bool:
    """Whether `user` gets `kind` by email too: with an address, as they chose, or, having
    chosen nothing, as the kind does by default."""
    return bool(user.email) and (kind.email_default if chosen is None else chosen)


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """The person opened one of their notifications."""
    if notification.user_id != actor.pk:
        raise Notification.DoesNotExist
    with transaction.atomic():
        _lock([actor.pk])
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        _recount([actor.pk])
    notification.refresh_from_db()
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Every unread notification of the person, read now; returns how many."""
    with transaction.atomic():
        _lock([actor.pk])
        count = Notification.objects.filter(user=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        _recount([actor.pk])
    return count


def set_email_preferences(*, actor: Any, chosen: dict[str, bool]) -> None:
    """For each declared kind, whether the person also gets it by email."""
    with transaction.atomic():
        lock_open_account(actor)
        for kind in kinds.all_kinds():
            if kind.name in chosen:
                EmailPreference.objects.update_or_create(
                    user=actor, kind=kind.name, defaults={"email": chosen[kind.name]}
                )


def _lock(user_ids: Iterable[int] | QuerySet[Any]) -> None:
    # In id order, so that two writers telling overlapping groups cannot deadlock.
    list(
        User.objects.select_for_update()
        .filter(pk__in=user_ids if isinstance(user_ids, QuerySet) else sorted(set(user_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _recount(user_ids: Iterable[int] | QuerySet[Any]) -> None:
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    ids = user_ids if isinstance(user_ids, QuerySet) else set(user_ids)
    User.objects.filter(pk__in=ids).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )
