from django.core.management.base import BaseCommand

from forkom.outbox.services import enqueue_due


class Command(BaseCommand):
    help = (
        "Queue a delivery task for every email whose next attempt is due (a safety net for "
        "tasks lost with a worker; safe to run at any time, e.g. every 10 minutes)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{enqueue_due()} email(s) queued.")
