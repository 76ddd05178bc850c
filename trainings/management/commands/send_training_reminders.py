from django.core.management.base import BaseCommand

from trainings import services


class Command(BaseCommand):
    help = (
        "Email each seated cadre a reminder the day before their training. Run it daily (or "
        "hourly) from a scheduler: every registration is reminded once, however often it runs."
    )

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(f"Reminders sent: {sent}")
