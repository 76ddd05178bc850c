from django.core.management.base import BaseCommand

from cadres.exports import prune_exports


class Command(BaseCommand):
    help = "Delete the prepared cadre lists older than a day (daily; safe to run twice)."

    def handle(self, *args, **options):
        self.stdout.write(f"{prune_exports()} prepared download(s) deleted.")
