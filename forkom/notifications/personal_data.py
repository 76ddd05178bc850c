"""A person's inbox and email choices: in Data saya, and gone with the person."""

from typing import Any

from django.utils.translation import gettext_lazy

from forkom import personal_data
from forkom.notifications import kinds
from forkom.notifications.models import EmailPreference, Notification


def export(user: Any) -> dict[str, Any]:
    """The stored values: each subject in the site's language and in the others."""
    return _sections(user, in_readers_language=False)


def readable(user: Any) -> dict[str, Any]:
    """Each subject in the language of the page, as the inbox shows it."""
    return _sections(user, in_readers_language=True)


def _sections(user: Any, *, in_readers_language: bool) -> dict[str, Any]:
    def subject(notification: Notification) -> dict[str, Any]:
        if in_readers_language:
            return {"subject": notification.subject_shown}
        # The stored values: the subject in the site's language, and in the others.
        return {
            "subject": notification.subject,
            "other_subjects": [
                {"language": language, "subject": text}
                for language, text in sorted(notification.other_subjects.items())
            ],
        }

    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    notifications = (
        Notification.objects.filter(user=user)
        .order_by("created_at", "pk")
        .only("created_at", "subject", "other_subjects", "url", "read_at")
    )
    return {
        "notifications": [
            {
                "created_at": notification.created_at,
                **subject(notification),
                "url": notification.url,
                "read_at": notification.read_at,
            }
            for notification in notifications
        ],
        # Every kind as it applies to the person: their choice, else the kind's default
        # (only choices were listed, so a person who chose nothing read "none" here while
        # decisions reached them by email).
        "email_preferences": [
            {"notification_kind": kind.name, "by_email": chosen.get(kind.name, kind.email_default)}
            for kind in kinds.all_kinds()
        ],
    }


def forget(forgetting: personal_data.Forgetting) -> None:
    Notification.objects.filter(user=forgetting.user).delete()
    EmailPreference.objects.filter(user=forgetting.user).delete()


# How the person reads each key of the export (Data saya as a page and a PDF).
LABELS: personal_data.Labels = {
    "by_email": gettext_lazy("Also by email"),
    "created_at": gettext_lazy("Created at"),
    "email_preferences": gettext_lazy("Notifications also by email"),
    "language": gettext_lazy("Language"),
    "notification_kind": gettext_lazy("Kind of notification"),
    "notifications": gettext_lazy("Notifications"),
    "other_subjects": gettext_lazy("Subject in other languages"),
    "read_at": gettext_lazy("Read at"),
    "subject": gettext_lazy("Subject"),
    "url": gettext_lazy("Link"),
}


def _kind_label(name: str) -> str:
    try:
        return str(kinds.get(name).label)
    except KeyError:  # a kind no longer sent
        return name


personal_data.register(
    labels=LABELS,
    values={("email_preferences", "notification_kind"): _kind_label},
    covers=("notifications.Notification.user", "notifications.EmailPreference.user"),
    export=export,
    forget=forget,
    readable=readable,
)
