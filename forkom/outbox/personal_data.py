"""The outbox holds a person's address and the text of their emails until delivered (then
only that a message went out). Forgetting a person drops what still waits for them."""

from typing import Any

from forkom import personal_data
from forkom.outbox.models import OutgoingEmail


def export(user: Any) -> dict[str, Any]:
    return {}  # nothing but transient copies of messages the person receives


def forget(forgetting: personal_data.Forgetting) -> None:
    address = (forgetting.user.email or "").lower()
    if not address:
        return
    waiting = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT)
    for row in waiting.only("pk", "to"):
        if address in (recipient.lower() for recipient in row.to):
            row.delete()


personal_data.register(covers=(), export=export, forget=forget)
