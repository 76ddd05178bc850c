"""Writes on trainings: the training's life, sign-ups and the waitlist, attendance, reminders.

Everything that changes who holds a seat first locks the training row (select_for_update) and
counts the seats in the database inside that lock, so concurrent sign-ups and cancellations
queue one after another and the capacity is never exceeded. The same count, taken under the
lock, is stored on the training (`seats_taken`) for the lists to read. Each change leaves a
TrainingEvent; emails go out once the transaction has committed.

Lock order: the cadre's profile (a sign-up, and forgetting the person), then the trainings
in pk order, each before its registrations. A sign-up holds the profile while it writes, so
forgetting the person, which locks the profile before it looks for their sign-ups, either
finds the sign-up committed or makes it wait and find the profile inactive.
"""

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Body, CadreMembership, CadreProfile, Topic
from forkom import mail, scope, statements
from forkom.conflicts import retried_on_conflict
from forkom.errors import BadInput, DomainError, MayNot
from forkom.events import recorded
from forkom.http import absolute_url
from forkom.notifications import kinds as notification_kinds
from forkom.notifications import services as notifications
from forkom.scope import Actor
from forkom.triggers import triggers_paused
from trainings import checkin, exports, selectors
from trainings.models import Registration, SignupSummary, Training, TrainingEvent

State = Training.State
Status = Registration.Status
Kind = TrainingEvent.Kind


# The training's life: published, cancelled, finished (Dinas staff of the venue's area).


# What may change on a saved training from the admin's form (state and capacity have their
# own services), and which of those move the training for the people signed up.
DETAILS = (
    "title",
    "description",
    "organiser",
    "venue",
    "venue_kecamatan",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "signatory_name",
    "signatory_title",
)
MOVES = {"venue", "venue_kecamatan", "starts_at", "ends_at"}
# The details the calendar entry shows (exports.training_ics): a change is a new version.
CALENDAR_DETAILS = {*MOVES, "title", "description", "organiser"}
LONG_TEXTS = {"description"}


def record_created(*, actor: Actor, training: Training) -> None:
    TrainingEvent.objects.create(
        training=training, actor=actor, kind=Kind.CREATED, after=training.state
    )


def create_training(
    *,
    actor: Actor,
    training: Training,
    topics: Iterable[Topic] = (),
    eligible_bodies: Iterable[Body] = (),
) -> Training:
    """Dinas staff add a training (a draft until published), in the area they serve."""
    if not scope.can_act(actor, training.venue_kecamatan_id, scope.STAFF):
        raise DomainError(_("Only Dinas staff of this area manage this training."))
    with transaction.atomic():
        training.save()
        training.topics.set(topics)
        training.eligible_bodies.set(eligible_bodies)
        record_created(actor=actor, training=training)
    return training


def change_training(
    *,
    actor: Actor,
    training: Training,
    values: dict[str, Any],
    topics: Iterable[Topic] | None = None,
    eligible_bodies: Iterable[Body] | None = None,
) -> Training:
    """Change a training's details; each changed detail leaves a TrainingEvent with its
    before and after, and when the date, time or place moves everyone signed up (seated or
    waiting) is told by email once committed."""
    with transaction.atomic():
        locked = _lock_as_staff(actor, training)
        if locked.state in {State.CANCELLED, State.FINISHED}:
            raise DomainError(_("A cancelled or finished training is kept as it was."))
        if "venue_kecamatan" in values and not scope.can_act(
            actor, values["venue_kecamatan"].pk, scope.STAFF
        ):
            raise DomainError(_("Only Dinas staff of this area manage this training."))
        changed = [
            name for name in DETAILS if name in values and getattr(locked, name) != values[name]
        ]
        for name in changed:
            before, after = getattr(locked, name), values[name]
            setattr(locked, name, after)
            short = name not in LONG_TEXTS
            TrainingEvent.objects.create(
                training=locked,
                actor=actor,
                kind=Kind.CHANGED,
                before=_shown(before) if short else "",
                after=_shown(after) if short else "",
                note=_detail_label(name),
            )
        if CALENDAR_DETAILS & set(changed):
            locked.calendar_sequence += 1
            changed.append("calendar_sequence")
        if changed:
            try:
                locked.validate_constraints()
            except ValidationError as error:  # the messages are already translated
                raise DomainError(" ".join(error.messages)) from None
            locked.save(update_fields=[*changed])
        for name, wanted in (("topics", topics), ("eligible_bodies", eligible_bodies)):
            if wanted is None:
                continue
            manager = getattr(locked, name)
            if set(manager.values_list("pk", flat=True)) != {item.pk for item in wanted}:
                manager.set(wanted)
                TrainingEvent.objects.create(
                    training=locked,
                    actor=actor,
                    kind=Kind.CHANGED,
                    note=_detail_label(name),
                )
        if MOVES & set(changed):
            mail.later(_email_everyone, locked.pk, "moved")
    return locked


def _detail_label(name: str) -> str:
    """A training detail's name as a person reads it (the model field's label)."""
    return str(getattr(Training._meta.get_field(name), "verbose_name", name))


def _shown(value: object) -> str:
    """A detail as a person reads it, short enough for the event's before/after."""
    if isinstance(value, datetime):
        return _local(value)[:40]
    return str(value)[:40]


def publish(*, actor: Actor, training: Training, token: UUID | None = None) -> Training:
    """Open a draft to the public (and to sign-ups once its registration window opens).
    `token` is the form's one-time key: the same form posted twice acts once."""
    with transaction.atomic():
        locked = _lock_as_staff(actor, training)
        if _already_done(locked, actor, token):
            return locked
        if not locked.can_be_published():
            raise DomainError(_("Only a draft training can be published."))
        _change_state(locked, actor=actor, to_state=State.PUBLISHED, token=token)
    return locked


def cancel_training(
    *, actor: Actor, training: Training, note: str = "", token: UUID | None = None
) -> Training:
    """Cancel the training; everyone signed up (seated or waiting) is told by email."""
    with transaction.atomic():
        locked = _lock_as_staff(actor, training)
        if _already_done(locked, actor, token):
            return locked
        if not locked.can_be_cancelled():
            raise DomainError(_("Only a draft or published training can be cancelled."))
        # A new version of the calendar entry, which the file sent now marks cancelled.
        locked.calendar_sequence += 1
        _change_state(
            locked,
            actor=actor,
            to_state=State.CANCELLED,
            note=note,
            token=token,
            also_saved=("calendar_sequence",),
        )
        # One task tells them all, in the worker: 200 sign-ups do not wait on the mail server.
        mail.later(_email_everyone, locked.pk, "cancelled")
    return locked


@retried_on_conflict
def finish(
    *,
    actor: Actor,
    training: Training,
    now: datetime | None = None,
    token: UUID | None = None,
) -> Training:
    """Close a held training: those marked present get their certificate, and an email
    saying it is ready to download."""
    with transaction.atomic():
        locked = _lock_as_staff(actor, training)
        if _already_done(locked, actor, token):
            return locked
        if not locked.can_be_finished(now):
            raise DomainError(_("Only a published training that has started can be finished."))
        _change_state(locked, actor=actor, to_state=State.FINISHED, token=token)
        mail.later(_email_attendees, locked.pk, "certificate")
    return locked


def _already_done(training: Training, actor: Actor, token: UUID | None) -> bool:
    """Whether this very form already changed the training (a double tap, a reload)."""
    return bool(
        token
        and TrainingEvent.objects.filter(
            training=training, actor_id=actor.pk, token=token
        ).exists()
    )


@retried_on_conflict
def change_capacity(*, actor: Actor, training: Training, capacity: int) -> Training:
    """Lower the capacity down to the seats taken at most; raising it seats the waitlist."""
    if capacity < 1:
        raise DomainError(_("A training has at least one seat."))
    with transaction.atomic():
        locked = _lock_as_staff(actor, training)
        if locked.state not in {State.DRAFT, State.PUBLISHED}:
            raise DomainError(_("The capacity of a cancelled or finished training is fixed."))
        seated = _seated(locked)
        if capacity < seated:
            raise DomainError(
                _("%(seated)d cadres already hold a seat: the capacity cannot be lower than that.")
                % {"seated": seated}
            )
        before = locked.capacity
        if capacity == before:
            return locked
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        TrainingEvent.objects.create(
            training=locked,
            actor=actor,
            kind=Kind.CAPACITY_CHANGED,
            before=str(before),
            after=str(capacity),
        )
        promoted = _promote(locked, actor=actor, free=capacity - seated)
        _store_seats_taken(locked, seated + len(promoted))
    return locked


# Sign-ups (the cadre themself).


def signup_problem(
    training: Training, profile: CadreProfile, now: datetime | None = None
) -> str | None:
    """Why this cadre may not sign up for this training now (a message), or None.

    The seat count and an earlier sign-up are checked under the lock in `sign_up`.
    """
    return _window_problem(training, now) or _cadre_problem(training, profile)


@retried_on_conflict
def sign_up(
    *,
    actor: Actor,
    training: Training,
    profile: CadreProfile,
    now: datetime | None = None,
    token: UUID | None = None,
) -> Registration:
    """A seat while one is free, otherwise a place at the end of the waitlist.

    `token` is the sign-up form's one-time key: the same form posted again (a double tap)
    answers with the registration the first post made, not "already signed up".
    """
    if profile.user_id != actor.pk:
        raise DomainError(_("Cadres sign up for themselves."))
    if done := done_by_form(actor, token):
        return done
    try:
        with transaction.atomic():
            # The profile held until the sign-up is written: forgetting the cadre meanwhile
            # waits for it, and a sign-up that waited reads the profile as the deletion left it.
            # Who the cadre is does not depend on the seats: checked before the training's lock.
            problem = _cadre_problem(training, _lock_profile(profile))
            if problem:
                raise DomainError(problem)
            locked = _lock_training(training.pk)
            # The same form posted at the same moment waited for this lock: the first is done.
            if done := done_by_form(actor, token):
                return done
            problem = _window_problem(locked, now)
            if problem:
                raise DomainError(problem)
            queue = _queue(locked, profile)
            if queue.mine:
                raise DomainError(_("You have already signed up for this training."))
            # Nobody jumps the queue: a free seat with people waiting goes to them (_promote).
            seated = queue.seated < locked.capacity and not queue.waiting
            registration = Registration.objects.create(
                training=locked,
                profile=profile,
                status=Status.REGISTERED if seated else Status.WAITLISTED,
            )
            _store_seats_taken(locked, queue.seated + int(seated))
            TrainingEvent.objects.create(
                training=locked,
                registration=registration,
                actor=actor,
                kind=Kind.REGISTERED if seated else Kind.WAITLISTED,
                after=registration.status,
                token=token,
            )
            position = None if seated else queue.waiting + 1
            mail.later(_email, registration.pk, "signed_up", position)
    except IntegrityError:
        # Only reachable without the row lock (SQLite): the constraint still holds.
        raise DomainError(_("You have already signed up for this training.")) from None
    return registration


# A sign-up's reads, compiled once per database (forkom.statements) and read afresh each
# time: when a popular training opens, hundreds of sign-ups queue for its row lock, and
# building these querysets took longer than running them (0.9 ms of Python for the queue's
# counts, 0.08 ms to run them). tests/trainings/test_sign_up_statements.py compares each with
# the queryset it was compiled from.


class Queue(NamedTuple):
    seated: int  # seats taken
    waiting: int  # places on the waitlist
    mine: int  # the cadre's own sign-ups that are not cancelled


def _lock_profile(profile: CadreProfile) -> CadreProfile | None:
    """The profile as stored now (None: gone), its row held until the transaction ends (FOR
    NO KEY UPDATE: rows that point at it may still be written)."""
    return statements.locked(CadreProfile, profile.pk, no_key=True)


def _lock_training(pk: int) -> Training:
    """The training as stored now, its row held until the transaction ends."""
    locked = statements.locked(Training, pk)
    if locked is None:
        raise Training.DoesNotExist(f"training {pk} is gone")
    return locked


def _queue(training: Training, profile: CadreProfile) -> Queue:
    """The training's seats taken and waitlist, and the cadre's own sign-ups, counted in the
    database: under the training's lock, the truth the sign-up decides on."""
    found = statements.rows(
        _queue_statement(Registration.objects.db), training.pk, second=profile.pk
    )
    return Queue(*found[0]) if found else Queue(0, 0, 0)


@functools.cache
def _queue_statement(alias: str) -> statements.Statement:
    # Grouped by the training, so a training without sign-ups has no row (all zero).
    return statements.compiled(
        Registration.objects.using(alias)
        .filter(training_id=statements.PLACEHOLDER)
        .values("training_id")
        .annotate(
            seated=Count("pk", filter=Q(status=Status.REGISTERED)),
            waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
            mine=Count(
                "pk",
                filter=Q(profile_id=statements.SECOND_PLACEHOLDER) & ~Q(status=Status.CANCELLED),
            ),
        )
        .values_list("seated", "waiting", "mine")
        .order_by()
    )


def done_by_form(actor: Actor, token: UUID | None) -> Registration | None:
    """The registration a form with `token` already acted on, or None; a token of somebody
    else's form is refused."""
    if token is None:
        return None
    event = statements.one_by(TrainingEvent, "token", token, "registration")
    if event is None:
        return None
    if event.actor_id != actor.pk or event.registration is None:
        raise DomainError(_("This form was already used. Reload the page and try again."))
    return event.registration


def _window_problem(training: Training, now: datetime | None = None) -> str | None:
    now = now or timezone.now()
    if training.state != State.PUBLISHED:
        return _("This training is not open for sign-ups.")
    if now < training.registration_opens_at:
        return _("Registration opens on %(when)s.") % {
            "when": _local(training.registration_opens_at)
        }
    if now >= training.registration_closes_at:
        return _("Registration closed on %(when)s.") % {
            "when": _local(training.registration_closes_at)
        }
    return None


def _cadre_problem(training: Training, profile: CadreProfile | None) -> str | None:
    if profile is None:
        return _("Only registered cadres can sign up: fill in your cadre profile first.")
    if profile.status == CadreProfile.Status.INACTIVE:
        # Deactivated, or the person's data deleted while this sign-up waited.
        return _("This cadre profile is no longer active: it cannot sign up for trainings.")
    if profile.status != CadreProfile.Status.VERIFIED:
        return _("Only verified cadres can sign up. Your profile is not verified.")
    # The eligible bodies, each marked whether the cadre serves in it: one query.
    eligible = statements.rows(
        _eligible_statement(Body.objects.db), training.pk, second=profile.pk
    )
    if eligible and not any(serves for _name, serves in eligible):
        return _("This training is for cadres of %(bodies)s.") % {
            "bodies": ", ".join(name for name, _serves in eligible)
        }
    return None


@functools.cache
def _eligible_statement(alias: str) -> statements.Statement:
    """A training's eligible bodies in their order (name, whether the cadre serves in it)."""
    chosen = Training.eligible_bodies.through.objects.using(alias).filter(
        training_id=statements.PLACEHOLDER
    )
    return statements.compiled(
        Body.objects.using(alias)
        .filter(pk__in=chosen.values("body_id"))
        .annotate(
            serves=Exists(
                CadreMembership.objects.filter(
                    profile_id=statements.SECOND_PLACEHOLDER, body=OuterRef("pk")
                )
            )
        )
        .values_list("name", "serves")
    )


@retried_on_conflict
def cancel(
    *,
    actor: Actor,
    registration: Registration,
    now: datetime | None = None,
    token: UUID | None = None,
) -> Registration:
    """The cadre gives up their seat or place before the start; the waitlist moves up.
    The same cancel form posted twice answers with the first post's result."""
    if done := done_by_form(actor, token):
        return done
    with transaction.atomic():
        training = _lock_training(registration.training_id)
        if done := done_by_form(actor, token):
            return done
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("profile")
            .get(pk=registration.pk)
        )
        locked.training = training
        if locked.profile.user_id != actor.pk:
            raise DomainError(_("Only the cadre can cancel their own sign-up."))
        if locked.status == Status.CANCELLED:
            raise DomainError(_("This sign-up is already cancelled."))
        if training.has_started(now):
            raise DomainError(_("The training has started: a sign-up can no longer be cancelled."))
        _withdraw(training, locked, actor=actor, token=token)
    return locked


@retried_on_conflict
def withdraw_forgotten(
    *, actor: Actor | None, user: Any, now: datetime | None = None
) -> list[Registration]:
    """End the sign-ups of a person being forgotten (forkom.personal_data) for trainings not
    yet started, as their own cancellation would: the seat counted again, the first on the
    waitlist seated and told. `actor` is whoever carries out the deletion (None: the system).

    Sign-ups of trainings that have started stay, with the anonymised profile, so that
    seats, attendance and the daftar hadir still add up. The profile is locked first (FOR
    UPDATE, kept until the forgetting commits), as `sign_up` locks it: the sign-ups read
    next are all there will be, since one still under way finishes before this lock and one
    arriving later waits for the forgetting and is refused. Then each training before its
    registration, as `cancel` does, and the trainings in pk order, so that two forgettings
    sharing trainings never wait on each other crosswise.
    """
    now = now or timezone.now()
    withdrawn: list[Registration] = []
    with transaction.atomic():
        CadreProfile.objects.select_for_update().filter(user=user).first()
        pending = (
            Registration.objects.filter(profile__user=user, training__starts_at__gt=now)
            .exclude(status=Status.CANCELLED)
            .order_by("training_id")
            .values_list("training_id", flat=True)
            .distinct()
        )
        for training_pk in list(pending):
            training = _lock_training(training_pk)
            registration = (
                Registration.objects.select_for_update(of=("self",))
                .filter(training=training, profile__user=user)
                .exclude(status=Status.CANCELLED)
                .first()
            )
            if registration is None or training.has_started(now):
                continue
            _withdraw(
                training,
                registration,
                actor=actor,
                note=recorded(gettext_lazy("The cadre's personal data was deleted.")),
            )
            withdrawn.append(registration)
    return withdrawn


def _withdraw(
    training: Training,
    registration: Registration,
    *,
    actor: Actor | None,
    token: UUID | None = None,
    note: str = "",
) -> None:
    """Cancel a sign-up, both rows locked (the training first); a freed seat goes to the
    first on the waitlist while the training is published."""
    before = registration.status
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    TrainingEvent.objects.create(
        training=training,
        registration=registration,
        actor=actor,
        kind=Kind.WITHDRAWN,
        before=before,
        after=Status.CANCELLED,
        note=note,
        token=token,
    )
    if before == Status.REGISTERED:
        seated = _seated(training)
        if training.state == State.PUBLISHED:
            seated += len(_promote(training, actor=actor, free=training.capacity - seated))
        _store_seats_taken(training, seated)


# The seat counter's check (manage.py check_training_seats).


def fix_seats_taken() -> list[selectors.SeatCount]:
    """Recount the seats of every training whose counter is off, under its row lock, and
    store the count; returns what was found (the counter before, the count stored)."""
    fixed = []
    for found in selectors.seat_count_mismatches():
        with transaction.atomic():
            locked = _lock_training(found.training_id)
            seated = _seated(locked)
            fixed.append(found._replace(counted=seated))
            _store_seats_taken(locked, seated)
    return fixed


# Attendance and reminders.


@retried_on_conflict
def mark_attendance(
    *,
    actor: Actor,
    training: Training,
    attended: Iterable[int],
    now: datetime | None = None,
    shown_present: Iterable[int] | None = None,
) -> int:
    """Set who attended, in one go: `attended` holds the registrations that did.

    `shown_present` is who the list showed as present when it was loaded: given, only what
    the organiser changed on it is applied, so that a participant checked in at the door
    meanwhile (check_in) is not unmarked by a list loaded before. Returns how many are
    present now."""
    with transaction.atomic():
        locked = _lock_training(training.pk)
        if not scope.can_act(actor, locked.venue_kecamatan_id, scope.OFFICERS_AND_STAFF):
            raise DomainError(_("Only the organisers of this training mark attendance."))
        if not locked.takes_attendance(now):
            raise DomainError(attendance_closed(locked))
        chosen = {getattr(item, "pk", item) for item in attended}
        seated = locked.registrations.filter(status=Status.REGISTERED)
        unknown = chosen - set(seated.values_list("pk", flat=True))
        if unknown:
            raise DomainError(_("Only participants holding a seat can be marked as present."))
        if shown_present is None:
            seated.filter(pk__in=chosen).update(attended=True)
            seated.exclude(pk__in=chosen).update(attended=False)
        else:
            before = {getattr(item, "pk", item) for item in shown_present}
            seated.filter(pk__in=chosen - before).update(attended=True)
            seated.filter(pk__in=before - chosen).update(attended=False)
        present = seated.filter(attended=True).count()
        TrainingEvent.objects.create(
            training=locked,
            actor=actor,
            kind=Kind.ATTENDANCE,
            after=str(present),
            note=recorded(
                gettext_lazy("%(present)d of %(seated)d present"),
                {"present": present, "seated": seated.count()},
            ),
        )
    return present


def attendance_closed(training: Training) -> str:
    """Why attendance cannot be marked on this training now: the service's refusal and the
    participants page's caption."""
    if training.state == State.FINISHED:
        return _(
            "The training is finished: attendance is closed, and the certificates of those "
            "present stay valid."
        )
    if training.state == State.CANCELLED:
        return _("The training is cancelled: no attendance is taken.")
    return _("Attendance is marked once the training has started.")


@retried_on_conflict
def check_in(
    *,
    actor: Actor,
    training: Training,
    code: str,
    now: datetime | None = None,
    token: UUID | None = None,
) -> Registration:
    """Mark present the seated participant whose check-in code (trainings.checkin) was
    scanned or typed at the venue. A code of another training, of somebody without a seat,
    or a made-up one matches nobody here and is refused; checking in twice is harmless."""
    if done := done_by_form(actor, token):
        return done
    wanted = checkin.normalised(code)
    if not wanted:
        raise BadInput(_("A check-in code has 8 letters and digits, like ABCD-EFGH."))
    with transaction.atomic():
        locked = _lock_training(training.pk)
        if not scope.can_act(actor, locked.venue_kecamatan_id, scope.OFFICERS_AND_STAFF):
            raise MayNot(_("Only the organisers of this training mark attendance."))
        if not locked.checks_in(now):
            raise DomainError(
                _("Check-in opens two hours before the start and closes when it is finished.")
            )
        seated = locked.registrations.filter(status=Status.REGISTERED).select_related("profile")
        found = next((row for row in seated if checkin.code_for(row) == wanted), None)
        if found is None:
            raise BadInput(_("This code is not of a participant with a seat in this training."))
        if not found.attended:
            found.attended = True
            found.save(update_fields=["attended"])
            TrainingEvent.objects.create(
                training=locked,
                registration=found,
                actor=actor,
                kind=Kind.ATTENDANCE,
                before="absent",
                after="present",
                note=recorded(gettext_lazy("Checked in with the participant's code")),
                token=token,
            )
    return found


def send_reminders(*, now: datetime | None = None) -> int:
    """Email each seated cadre once, the day before their training (or on the day, if late).

    Idempotent: each registration is claimed by a conditional update of reminder_sent_at,
    so a second run, or two runs at once, send nothing twice.
    """
    now = now or timezone.now()
    tomorrow_ends = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + timedelta(days=2)
    due = Registration.objects.filter(
        status=Status.REGISTERED,
        reminder_sent_at__isnull=True,
        training__state=State.PUBLISHED,
        training__starts_at__gt=now,
        training__starts_at__lt=tomorrow_ends,
    ).values_list("pk", flat=True)
    sent = 0
    for registration_pk in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration_pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                sent += 1
                mail.later(_email, registration_pk, "reminder")
    return sent


# Inside the lock.


def _lock_as_staff(actor: Actor, training: Training) -> Training:
    locked = _lock_training(training.pk)
    if not scope.can_act(actor, locked.venue_kecamatan_id, scope.STAFF):
        raise DomainError(_("Only Dinas staff of this area manage this training."))
    return locked


def _change_state(
    training: Training,
    *,
    actor: Actor,
    to_state: str,
    note: str = "",
    token: UUID | None = None,
    also_saved: tuple[str, ...] = (),
) -> None:
    """Move the training to `to_state` with its event; `also_saved` names the other fields
    the caller changed, written in the same UPDATE."""
    before = training.state
    training.state = to_state
    training.save(update_fields=["state", *also_saved])
    TrainingEvent.objects.create(
        training=training,
        actor=actor,
        kind=to_state,
        before=before,
        after=to_state,
        note=note,
        token=token,
    )


def _seated(training: Training) -> int:
    return training.registrations.filter(status=Status.REGISTERED).count()


def _store_seats_taken(training: Training, seated: int) -> None:
    """Keep the counter the lists read equal to `seated`, the seats counted under the lock."""
    if training.seats_taken != seated:
        training.seats_taken = seated
        training.save(update_fields=["seats_taken"])


def _promote(training: Training, *, actor: Actor | None, free: int) -> list[Registration]:
    """Seat the first `free` cadres of the waitlist, in arrival order, and tell them."""
    if free <= 0:
        return []
    promoted = list(
        training.registrations.select_for_update()
        .filter(status=Status.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status"])
        TrainingEvent.objects.create(
            training=training,
            registration=registration,
            actor=actor,
            kind=Kind.PROMOTED,
            before=Status.WAITLISTED,
            after=Status.REGISTERED,
        )
        mail.later(_email, registration.pk, "promoted")
    return promoted


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") + " WITA"


def _email_everyone(training_pk: int, what: str) -> None:
    """Tell everyone signed up (seated or waiting) of the training, one email each."""
    told = (
        Registration.objects.filter(
            training_id=training_pk, status__in=[Status.REGISTERED, Status.WAITLISTED]
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for registration_pk in told:
        _email(registration_pk, what)


def _email_attendees(training_pk: int, what: str) -> None:
    """Tell everyone marked present, one email each (their certificate is ready)."""
    present = (
        Registration.objects.filter(
            training_id=training_pk, status=Status.REGISTERED, attended=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for registration_pk in present:
        _email(registration_pk, what)


TRAINING = notification_kinds.register(
    "training",
    gettext_lazy("My trainings: seats, waitlist, changes, reminders, certificates"),
    email_default=True,
)

# What puts a seat in the participant's calendar, moves it there, or marks it cancelled: the
# email carries the training's .ics (the same UID; a reminder unless cancelled).
CALENDAR_NOTICES = {"signed_up", "promoted", "moved", "cancelled"}


def _email(registration_pk: int, what: str, position: int | None = None) -> None:
    registration = Registration.objects.select_related(
        "training", "training__venue_kecamatan", "profile", "profile__user"
    ).get(pk=registration_pk)
    training = registration.training
    attachments: list[mail.Attachment] = []
    if what in CALENDAR_NOTICES and registration.status == Status.REGISTERED:
        with translation.override(settings.LANGUAGE_CODE):
            ics = exports.training_ics(training, absolute_url(training.get_absolute_url()))
        attachments.append((f"pelatihan-{training.pk}.ics", ics.decode(), "text/calendar"))
    notifications.tell(
        [registration.profile.user],
        kind=TRAINING,
        url=training.get_absolute_url(),
        template="trainings/email/notice",
        context={
            "registration": registration,
            "training": registration.training,
            "what": what,
            "position": position or selectors.waitlist_position(registration),
            "url": absolute_url(registration.training.get_absolute_url()),
            "mine_url": absolute_url(reverse("trainings:mine")),
            "reason": _cancel_reason(registration.training) if what == "cancelled" else "",
        },
        attachments=attachments,
    )


def _cancel_reason(training: Training) -> str:
    """The note the organiser gave when cancelling the training (may be empty)."""
    return (
        training.events.filter(kind=Kind.CANCELLED)
        .order_by("at", "pk")
        .values_list("note", flat=True)
        .last()
        or ""
    )


# The sign-up summary's check (manage.py check_signup_summary) and its rebuild after a bulk
# load.


@retried_on_conflict
def fix_signup_summary() -> list[selectors.SummaryMismatch]:
    """Bring every summary row that disagrees with a recount to the recount; returns what
    was found.

    The difference is added rather than the count stored: the triggers of concurrent writers
    add their own changes to the summary and the sign-ups alike, so the difference measured
    in one snapshot stays right whatever commits between that snapshot and this write.
    """
    found = selectors.signup_summary_mismatches()
    with transaction.atomic():
        SignupSummary.objects.bulk_create(
            [SignupSummary(kelurahan_id=row.kelurahan_id, month=row.month) for row in found],
            ignore_conflicts=True,
        )
        for row in found:
            SignupSummary.objects.filter(kelurahan_id=row.kelurahan_id, month=row.month).update(
                signups=F("signups") + row.counted.signups - row.stored.signups,
                seated_finished=F("seated_finished")
                + row.counted.seated_finished
                - row.stored.seated_finished,
                attended_finished=F("attended_finished")
                + row.counted.attended_finished
                - row.stored.attended_finished,
            )
    return found


@contextmanager
def signup_summary_rebuilt_after_bulk_load() -> Iterator[None]:
    """Around a bulk load of sign-ups (the seed's COPY), inside its transaction: the
    summary's triggers on sign-ups are off (once per row, they would slow the load several
    times), and the summary is counted afresh from every sign-up at the end, in one
    statement."""
    with triggers_paused([Registration]):
        yield
    rebuild_signup_summary()


def rebuild_signup_summary() -> None:
    """Replace the whole summary with a recount, in one INSERT ... SELECT."""
    table = connection.ops.quote_name(SignupSummary._meta.db_table)
    columns = "kelurahan_id, month, signups, seated_finished, attended_finished"
    recount, params = selectors.signup_recount().query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        SignupSummary.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {recount}",
            params,
        )
