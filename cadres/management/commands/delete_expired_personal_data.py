"""Keep the consent statement's promise on retention: run once a day (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from cadres import services


class Command(BaseCommand):
    help = (
        "Anonymise the cadres whose profile has been inactive for two years, as the consent "
        "statement promises. Safe to run any number of times."
    )

    def handle(self, *args, **options):
        done = services.delete_expired_personal_data()
        self.stdout.write(f"Anonymised {done} profile(s) inactive for two years or more.")
