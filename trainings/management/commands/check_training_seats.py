from django.core.management.base import BaseCommand, CommandError

from trainings import selectors, services


class Command(BaseCommand):
    help = (
        "Recount the seats taken of every training and compare them with the counter the "
        "catalogue reads (Training.seats_taken). Exits with an error on a mismatch; --fix "
        "stores the recount instead, under each training's row lock."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Store the recounted seats where they differ."
        )

    def handle(self, *args, fix=False, **options):
        found = services.fix_seats_taken() if fix else selectors.seat_count_mismatches()
        for row in found:
            self.stdout.write(
                f"Training {row.training_id} ({row.title}): counter {row.stored}, "
                f"seats taken {row.counted}" + (" (fixed)" if fix else "")
            )
        if found and not fix:
            raise CommandError(
                f"{len(found)} training(s) with a wrong seat counter; "
                "run check_training_seats --fix to repair them."
            )
        if fix:
            self.stdout.write(f"Seat counters fixed: {len(found)}.")
        else:
            self.stdout.write("Every training's seat counter matches its sign-ups.")
