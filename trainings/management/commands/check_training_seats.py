from forkom.management.recount import RecountCommand
from trainings import selectors, services


class Command(RecountCommand[selectors.SeatCount]):
    help = (
        "Recount the seats taken of every training and compare them with the counter the "
        "catalogue reads (Training.seats_taken). Exits with an error on a mismatch; --fix "
        "stores the recount instead, under each training's row lock."
    )
    fix_help = "Store the recounted seats where they differ."
    differ_message = (
        "{count} training(s) with a wrong seat counter; "
        "run check_training_seats --fix to repair them."
    )
    fixed_message = "Seat counters fixed: {count}."
    match_message = "Every training's seat counter matches its sign-ups."

    def mismatches(self):
        return selectors.seat_count_mismatches()

    def fix(self):
        return services.fix_seats_taken()

    def describe(self, row):
        return (
            f"Training {row.training_id} ({row.title}): counter {row.stored}, "
            f"seats taken {row.counted}"
        )
