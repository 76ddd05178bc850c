"""The background tasks of the core: delivering an email, running a function later."""

from typing import Any

from django.tasks import TaskContext, task
from django.utils.module_loading import import_string

from forkom import mail
from forkom.outbox import services


@task(takes_context=True)
def deliver(context: TaskContext, email_id: int) -> str:
    """Deliver one stored email; on a transient error, try again after a pause."""
    status = services.deliver(email_id)
    if status == "pending":
        _retry(email_id)
    return status


def _retry(email_id: int) -> None:
    from forkom.outbox.models import OutgoingEmail

    row = OutgoingEmail.objects.get(pk=email_id)
    # The immediate backend (tests) cannot wait: the sweep (send_pending_email) takes it.
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=row.next_attempt_at).enqueue(email_id)


@task(takes_context=True)
def run_later(context: TaskContext, path: str, args: list[Any], site: str = "") -> None:
    """Run the function at `path` with `args` (mail.later): its emails are keyed by this
    task's id, so a retry after a crash sends none twice; their links follow `site`, the
    origin of the request that asked (forkom.http.absolute_url)."""
    mail.run_as(str(context.task_result.id), import_string(path), args, site)
