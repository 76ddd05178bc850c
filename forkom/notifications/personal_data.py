"""A person's inbox and email choices: in Data saya, and gone with the person."""

from typing import Any

from django.utils.translation import gettext_lazy

from forkom import personal_data
from forkom.notifications.models import EmailPreference, Notification


def export(user: Any) -> dict[str, Any]:
    return {
        "notifications": list(
            Notification.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("created_at", "subject", "url", "read_at")
        ),
        "email_preferences": dict(
            EmailPreference.objects.filter(user=user).values_list("kind", "email")
        ),
    }


def forget(forgetting: personal_data.Forgetting) -> None:
    Notification.objects.filter(user=forgetting.user).delete()
    EmailPreference.objects.filter(user=forgetting.user).delete()


# How the person reads each key of the export (Data saya as a page and a PDF).
LABELS = {
    "created_at": gettext_lazy("Created at"),
    "email_preferences": gettext_lazy("Notifications also by email"),
    "notifications": gettext_lazy("Notifications"),
    "read_at": gettext_lazy("Read at"),
    "subject": gettext_lazy("Subject"),
    "url": gettext_lazy("Link"),
}


personal_data.register(
    labels=LABELS,
    covers=("notifications.Notification.user", "notifications.EmailPreference.user"),
    export=export,
    forget=forget,
)
