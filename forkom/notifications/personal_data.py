"""A person's inbox and email choices: in Data saya, and gone with the person."""

from typing import Any

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


personal_data.register(
    covers=("notifications.Notification.user", "notifications.EmailPreference.user"),
    export=export,
    forget=forget,
)
