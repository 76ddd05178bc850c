"""Telling people: a row in their inbox on the site, and an email if they want one.

`tell` is what every app calls instead of writing an email itself. It writes the
notifications in bulk, keeps each person's unread count (the menu reads it from the user
row, at no cost) by recounting under a lock of the person's row, and queues the emails
through forkom.mail for those whose preference for the kind is on.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forkom import mail
from forkom.accounts.models import User
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
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    link = absolute_url(url) if url else ""
    context = {**context, "link": link or context.get("link", "")}
    keys = [f"{key}:{user.pk}" if key else mail.message_key() for user in people]
    with transaction.atomic():
        _lock(user.pk for user in people)
        Notification.objects.bulk_create(
            [
                Notification(user=user, kind=kind, subject=subject[:300], url=url, key=one)
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


def wants_email(users: Sequence[Any], kind: str) -> set[int]:
    """The ids of `users` with an address who get `kind` by email too (one query)."""
    chosen = dict(
        EmailPreference.objects.filter(user__in=[u.pk for u in users], kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = kinds.get(kind).email_default
    return {user.pk for user in users if user.email and chosen.get(user.pk, default)}


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
        for kind in kinds.all_kinds():
            if kind.name in chosen:
                EmailPreference.objects.update_or_create(
                    user=actor, kind=kind.name, defaults={"email": chosen[kind.name]}
                )


def _lock(user_ids: Iterable[int]) -> None:
    # In id order, so that two writers telling overlapping groups cannot deadlock.
    list(
        User.objects.select_for_update()
        .filter(pk__in=sorted(set(user_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _recount(user_ids: Iterable[int]) -> None:
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    User.objects.filter(pk__in=set(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )
