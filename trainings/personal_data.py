"""What trainings holds about a person: their sign-ups and what happened to each."""

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from cadres import selectors as cadre_selectors
from forkom import personal_data
from forkom.accounts.models import User
from trainings import services
from trainings.models import Registration, Training, TrainingEvent


def export(user: User) -> dict[str, Any]:
    """Sign-ups with their training and history. The certificate code only where it certifies
    something: attended, and the training finished."""
    profile = cadre_selectors.own_profile(user)
    if profile is None:
        return {}
    registrations = (
        Registration.objects.filter(profile=profile)
        .select_related("training")
        .prefetch_related(Prefetch("events", queryset=TrainingEvent.objects.order_by("at", "pk")))
        .order_by("created_at", "pk")
    )
    rows = []
    for registration in registrations:
        training = registration.training
        rows.append(
            {
                "training": {
                    "title": training.title,
                    "organiser": training.organiser,
                    "venue": training.venue,
                    "starts_at": training.starts_at,
                    "ends_at": training.ends_at,
                    "state": training.state,
                },
                "status": registration.status,
                "attended": registration.attended,
                "certificate_code": (
                    registration.certificate_code if registration.has_certificate() else None
                ),
                "signed_up_at": registration.created_at,
                "cancelled_at": registration.cancelled_at,
                "reminder_sent_at": registration.reminder_sent_at,
                "events": [
                    {"at": event.at, "kind": event.kind, "by_you": event.actor_id == user.pk}
                    for event in registration.events.all()
                ],
            }
        )
    return {"training_registrations": rows}


def forget(forgetting: personal_data.Forgetting) -> None:
    """Nothing to blank here: a sign-up holds no words or name of the person, only which
    training and whether they came. A sign-up for a training still to come ends, as the
    cadre's own cancellation would (their seat goes to the waitlist); the others stay,
    attached to the anonymised profile, so that seats, attendance and the daftar hadir of
    past trainings still add up."""
    services.withdraw_forgotten(actor=forgetting.actor, user=forgetting.user)


# How the person reads each key of the export (Data saya as a page and a PDF).
LABELS: personal_data.Labels = {
    "attended": gettext_lazy("Attended"),
    "cancelled_at": gettext_lazy("Cancelled at"),
    "certificate_code": gettext_lazy("Certificate code"),
    "code": gettext_lazy("Code"),
    "ends_at": gettext_lazy("Ends at"),
    "events": gettext_lazy("History"),
    "organiser": gettext_lazy("Organiser"),
    "reminder_sent_at": gettext_lazy("Reminder sent at"),
    "signed_up_at": gettext_lazy("Signed up at"),
    "starts_at": gettext_lazy("Starts at"),
    "state": gettext_lazy("State"),
    "status": gettext_lazy("Status"),
    "title": gettext_lazy("Title"),
    "training": gettext_lazy("Training"),
    "training_registrations": gettext_lazy("Training sign-ups"),
    "venue": gettext_lazy("Venue"),
    # The training's state and the sign-up's status side by side: a cancelled training read
    # "Status: Terdaftar" beside "Keadaan: Dibatalkan", registered and cancelled at once.
    ("training_registrations", "state"): gettext_lazy("Training status"),
    ("training_registrations", "status"): gettext_lazy("Sign-up status"),
    ("training_registrations", "cancelled_at"): gettext_lazy("Sign-up cancelled at"),
    ("training_registrations", "attended"): gettext_lazy("Attended (daftar hadir)"),
    ("training_registrations", "events"): gettext_lazy("Sign-up history"),
}


# How the person reads the codes stored in those keys.
VALUES = {
    ("training_registrations", "state"): personal_data.choices(Training, "state"),
    ("training_registrations", "status"): personal_data.choices(Registration, "status"),
    ("training_registrations", "kind"): personal_data.choices(TrainingEvent, "kind"),
}


personal_data.register(
    labels=LABELS,
    values=VALUES,
    covers=(
        "trainings.Registration.profile",
        # Who acted on a sign-up: the cadre or an organiser, by account, never by copied name.
        "trainings.TrainingEvent.actor",
    ),
    export=export,
    forget=forget,
)
