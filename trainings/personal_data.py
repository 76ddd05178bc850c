"""What trainings holds about a person: their sign-ups and what happened to each."""

from typing import Any

from django.db.models import Prefetch

from cadres import selectors as cadre_selectors
from forkom import personal_data
from forkom.accounts.models import User
from trainings.models import Registration, TrainingEvent


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
    training and whether they came. It stays, attached to the anonymised profile, so that
    seats, attendance and the daftar hadir of past trainings still add up."""


personal_data.register(
    covers=(
        "trainings.Registration.profile",
        # Who acted on a sign-up: the cadre or an organiser, by account, never by copied name.
        "trainings.TrainingEvent.actor",
    ),
    export=export,
    forget=forget,
)
