"""Trainings (pelatihan): the catalogue, sign-ups with a capacity and a waitlist, attendance.

A training is organised by Dinas staff or a kecamatan forum at a venue in a kecamatan. A
verified cadre signs up while registration is open: they take a seat while one is free and
join a first-come waitlist otherwise. Attendance is marked on the daftar hadir (the attendance
sheet signed at the venue); attendees of a finished training get a certificate.
"""

import re
import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Body, CadreProfile, Topic
from forkom.choices import ChoiceLabels
from forkom.events import Event
from forkom.paths import path_to
from forkom.territory.models import Region


def new_certificate_code():
    """96 random bits, URL-safe: a code that nobody can guess or derive from another."""
    return secrets.token_urlsafe(12)


# Participants arrive before the start: their codes are scanned from this long before.
CHECK_IN_OPENS = timedelta(hours=2)

# What a certificate code can look like; anything else is refused before a query (a NUL
# byte, for one, makes PostgreSQL refuse the query).
CERTIFICATE_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Training(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    organiser = models.CharField(
        _("organiser"),
        max_length=200,
        help_text=_("For example Dinas PMPD Provinsi Kaltim or Dinsos-PM Kota Bontang."),
    )
    venue = models.CharField(_("venue"), max_length=200)
    venue_kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan of the venue"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.KECAMATAN},
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    # The registrations holding a seat (status registered), kept by the sign-up services
    # under the training's row lock so that lists need not count every sign-up; checked by
    # `manage.py check_training_seats`. db_default: the seed's bulk loader leaves it out.
    seats_taken = models.PositiveIntegerField(
        _("seats taken"), default=0, db_default=0, editable=False
    )
    # The version of its calendar entry (the .ics's SEQUENCE), raised by the services with
    # each change the entry shows, so that calendars take the file sent again as an update.
    calendar_sequence = models.PositiveIntegerField(
        _("calendar version"), default=0, db_default=0, editable=False
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    eligible_bodies = models.ManyToManyField(
        Body,
        verbose_name=_("eligible bodies"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to open the training to cadres of every body."),
    )
    # Who signs the certificates, printed under the signature line: the organiser's head.
    signatory_name = models.CharField(
        _("certificate signatory"),
        max_length=150,
        blank=True,
        default="",
        db_default="",  # the seed's bulk loader names only some columns
        help_text=_("Name of the person who signs the certificates, with their degrees."),
    )
    signatory_title = models.CharField(
        _("signatory's position"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("For example Kepala Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="training_capacity_1",
                violation_error_message=_("A training has at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_ends_after_start",
                violation_error_message=_("The training must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="training_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=models.F("starts_at")),
                name="training_registration_closes_by_start",
                violation_error_message=_("Registration must close by the start of the training."),
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_at"], name="training_state_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("trainings:detail", self.pk)

    @property
    def seats_left(self):
        return max(self.capacity - self.seats_taken, 0)

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        return (
            self.state == self.State.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
        )

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def can_be_published(self):
        return self.state == self.State.DRAFT

    def can_be_cancelled(self):
        return self.state in {self.State.DRAFT, self.State.PUBLISHED}

    def can_be_finished(self, now=None):
        return self.state == self.State.PUBLISHED and self.has_started(now)

    def checks_in(self, now=None):
        """Whether participants' codes are scanned now: from two hours before the start
        (people arrive early) until the training is finished."""
        now = now or timezone.now()
        return self.state == self.State.PUBLISHED and self.starts_at - CHECK_IN_OPENS <= now

    def takes_attendance(self, now=None):
        """From the start until the organiser finishes it: a finished training has issued
        its certificates, and unmarking an attendee would void one without a word."""
        return self.state == self.State.PUBLISHED and self.has_started(now)


class Registration(ChoiceLabels, models.Model):
    """A cadre's sign-up for a training: a seat, a place on the waitlist, or cancelled.

    The waitlist position is not stored: it is the rank among the training's waitlisted
    registrations in arrival order (created_at, then pk), so it never needs renumbering.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    training = models.ForeignKey(
        Training,
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    profile = models.ForeignKey(
        CadreProfile,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("attended"), default=False)
    # The certificate's verification code: random, never derived from the row.
    certificate_code = models.CharField(
        _("certificate code"),
        max_length=32,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    # The names of the cadre's bodies, joined: set on the registrations of the participant
    # lists by trainings.selectors.participants (not a column).
    bodies: str

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "profile"],
                condition=~Q(status="cancelled"),
                name="registration_one_per_cadre_and_training",
            ),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status="registered"),
                name="registration_attended_only_when_registered",
            ),
        ]
        indexes = [
            models.Index(fields=["training", "status", "created_at"], name="registration_queue"),
        ]

    def __str__(self):
        return f"{self.profile} — {self.training}"

    def can_be_cancelled(self, now=None):
        return self.status != self.Status.CANCELLED and not self.training.has_started(now)

    def has_certificate(self):
        return self.attended and self.training.state == Training.State.FINISHED


class TrainingEvent(Event):
    """Every change to a training or one of its registrations: who, when, from, to, note."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Training cancelled")
        FINISHED = "finished", _("Finished")
        CAPACITY_CHANGED = "capacity", _("Capacity changed")
        CHANGED = "changed", _("Details changed")
        REGISTERED = "registered", _("Signed up")
        WAITLISTED = "waitlisted", _("Joined the waitlist")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        WITHDRAWN = "withdrawn", _("Sign-up cancelled")
        ATTENDANCE = "attendance", _("Attendance marked")

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="events"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    # The one-time key of the form that asked for the change: the same form posted twice
    # (a double tap) finds this event and answers with its result instead of acting again.
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta(Event.Meta):
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [models.UniqueConstraint(fields=["token"], name="trainingevent_token_once")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.training}"

    def value_shown(self, value: str) -> str:
        """`before` or `after` as a person reads it: a state or a sign-up status by its
        label ("published" is "Dipublikasikan"), anything else (a count, a detail) as stored."""
        kind = TrainingEvent.Kind
        if self.kind in (kind.CREATED, kind.PUBLISHED, kind.CANCELLED, kind.FINISHED):
            choices: type[models.TextChoices] = Training.State
        elif self.kind in (kind.REGISTERED, kind.WAITLISTED, kind.PROMOTED, kind.WITHDRAWN):
            choices = Registration.Status
        else:
            return value
        return str(choices(value).label) if value in choices.values else value


class SignupSummary(models.Model):
    """Sign-ups counted per kelurahan of the cadre and month of the sign-up (local time), for
    the dashboards: how many were made, how many of them hold a seat at a finished training,
    and how many of those attended.

    Kept by database triggers (migration 0008) on every write to sign-ups, a training's state
    and a cadre's kelurahan, whoever makes it (services, admin, import, personal-data
    deletion); checked against a recount by `manage.py check_signup_summary`.
    """

    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.CASCADE, related_name="+"
    )
    # The first day of the month, in the site's time zone.
    month = models.DateField(_("month"))
    signups = models.IntegerField(_("sign-ups"), default=0)
    seated_finished = models.IntegerField(_("seated at a finished training"), default=0)
    attended_finished = models.IntegerField(_("attended a finished training"), default=0)

    class Meta:
        verbose_name = _("sign-up summary")
        verbose_name_plural = _("sign-up summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "month"], name="signupsummary_one_per_kelurahan_and_month"
            ),
        ]

    def __str__(self):
        return f"{self.kelurahan_id} {self.month:%Y-%m}"
