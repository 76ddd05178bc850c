"""Reads about trainings that views share; those that depend on the viewer take the viewer."""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from cadres.models import CadreMembership, CadreProfile
from forkom import scope, statements
from forkom.scope import Viewer
from forkom.territory import codes
from forkom.territory.models import Region
from trainings.models import Registration, SignupSummary, Training

SCOPE_PATH = "venue_kecamatan__code"
Status = Registration.Status
# A sign-up that earned its certificate: the cadre attended and the training is finished.
# What "Trainings attended" lists and what a certificate stands for.
ATTENDED_AND_FINISHED = Q(attended=True, training__state=Training.State.FINISHED)


def home_kota(profile: CadreProfile | None) -> str:
    """Where the catalogue opens: the signed-in cadre's kabupaten/kota (from their kelurahan),
    otherwise the portal's home region's."""
    code = profile.kelurahan_id if profile is not None else settings.FORKOM_HOME_REGION
    return codes.ancestor_at(code, Region.Level.KABUPATEN_KOTA)


def training_need_ids(profile: CadreProfile | None) -> list[int]:
    return list(profile.training_needs.values_list("pk", flat=True)) if profile else []


# What the catalogue's cards and a region page's list show of a training
# (trainings.templatetags.trainings.training_cards, territory/sections/trainings.html): not
# its description, organiser or signatory.
LISTED_COLUMNS = (
    "title",
    "venue",
    "venue_kecamatan__name",
    "starts_at",
    "ends_at",
    "capacity",
    "seats_taken",
    "registration_opens_at",
    "registration_closes_at",
    "state",
)


def catalogue(needs: Sequence[int] = (), now: datetime | None = None) -> QuerySet[Training]:
    """Published and finished trainings, upcoming first (soonest first), then past ones
    (latest first): what the Dinas and the forums have held stays on record. Their listed
    columns only (LISTED_COLUMNS).

    Upcoming trainings on a topic among `needs` (a cadre's training needs, topic ids) come
    first and carry `recommended`.
    """
    return _catalogue(needs, now or timezone.now()).prefetch_related(_topics_listed())


def _topics_listed() -> Prefetch:
    # A list, not a manager per card: each card's topics joined in the template.
    return Prefetch("topics", to_attr="topic_list")


def in_area(trainings: QuerySet[Training], code: str) -> QuerySet[Training]:
    """The trainings held in the region `code` (a kota, a province)."""
    return trainings.filter(venue_kecamatan__code__startswith=codes.subtree_prefix(code))


# The catalogue's first page for each kota and set of training needs, with its count.
_catalogue_first: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def catalogue_first_page(
    needs: Sequence[int], kota: str, now: datetime, size: int
) -> tuple[list[Training], int]:
    """The first `size` trainings of catalogue(needs, now) held in `kota` and how many there
    are, as the catalogue opens without a filter (a visitor's its portal's kota, a cadre's
    their own): one statement kept per kota and set of needs, run with `now`, then the
    cards' topics (one query). The page everyone opens first built and compiled its count
    and its rows on each visit."""
    needs = tuple(sorted(needs))
    return statements.first_and_count(
        _catalogue_first,
        (Training.objects.db, needs, kota),
        lambda: in_area(_catalogue(needs, statements.MOMENT_PLACEHOLDER), kota),
        size,
        now,
        prefetch=[_topics_listed()],
    )


def _catalogue(needs: Sequence[int], now: datetime) -> QuerySet[Training]:
    if needs:
        matches = Exists(
            Training.topics.through.objects.filter(training_id=OuterRef("pk"), topic_id__in=needs)
        )
        recommended: Case | Value = Case(
            When(matches & Q(ends_at__gte=now), then=Value(True)), default=Value(False)
        )
    else:
        recommended = Value(False, output_field=BooleanField())
    upcoming = Q(ends_at__gte=now)
    return (
        Training.objects.filter(state__in=[Training.State.PUBLISHED, Training.State.FINISHED])
        .select_related("venue_kecamatan")
        .only(*LISTED_COLUMNS)
        .annotate(
            recommended=recommended,
            is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False)),
            upcoming_start=Case(When(upcoming, then="starts_at")),
        )
        .order_by("-is_upcoming", "-recommended", "upcoming_start", "-starts_at", "pk")
    )


def public_trainings() -> QuerySet[Training]:
    """What anyone may open: everything but drafts."""
    return Training.objects.exclude(state=Training.State.DRAFT).select_related("venue_kecamatan")


def active_registration(training: Training, profile: CadreProfile | None) -> Registration | None:
    """The cadre's current (not cancelled) registration for the training, or None."""
    if profile is None:
        return None
    return (
        Registration.objects.filter(training=training, profile=profile)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def last_registration(training: Training, profile: CadreProfile) -> Registration | None:
    if profile is None:
        return None
    return Registration.objects.filter(training=training, profile=profile).last()


def registrations_by_training(
    profile: CadreProfile | None, trainings: Iterable[Training]
) -> dict[int, Registration]:
    """{training pk: the cadre's current registration} for a page of trainings, one query."""
    if profile is None:
        return {}
    return {
        registration.training_id: registration
        for registration in Registration.objects.filter(
            profile=profile, training__in=[training.pk for training in trainings]
        ).exclude(status=Status.CANCELLED)
    }


def waitlist_position(registration: Registration | None) -> int | None:
    """1 for the first on the waitlist; None when not waitlisted."""
    if registration is None or registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        training_id=registration.training_id, status=Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def organised_by(user: Viewer) -> QuerySet[Training]:
    """The trainings (any state) whose venue lies where the user organises."""
    return scope.scoped(
        Training.objects.select_related("venue_kecamatan"),
        user,
        SCOPE_PATH,
        scope.OFFICERS_AND_STAFF,
    )


def get_organised_or_404(user: Viewer, pk: int) -> Training:
    """The training `pk` (an id of the URL), if `user` organises it; 404 for everyone else.

    The row is read by its key through a statement compiled once per database, then the
    scope is checked on it by is_organiser, the same rule as organised_by's (a scoped
    queryset compiled for each viewer took about a quarter of the daftar hadir's time)."""
    found = statements.one_by(Training, "pk", pk, "venue_kecamatan")
    if found is None or not is_organiser(user, found):
        raise Http404
    return found


def is_organiser(user: Viewer, training: Training) -> bool:
    return scope.can_act(user, training.venue_kecamatan_id, scope.OFFICERS_AND_STAFF)


def may_change_capacity(user: Viewer, training: Training) -> bool:
    return scope.can_act(user, training.venue_kecamatan_id, scope.STAFF)


def participants(
    training: Training,
    statuses: Sequence[str] = (Status.REGISTERED, Status.WAITLISTED),
    *,
    with_kecamatan: bool = False,
) -> list[Registration]:
    """Registrations with the cadre and kelurahan (and its kecamatan, `with_kecamatan`, for
    the exports), in arrival order, each with `bodies`: the names of the bodies the cadre
    serves in (two queries). Only the columns the lists show are read: the sign-up's state,
    attendance and time, the cadre's name, NIK (masked) and kelurahan.

    The names are read as pairs and joined here. Prefetching the memberships with their
    bodies made two model instances per membership and a queryset per profile: 11.4 ms for
    a training with 145 sign-ups on the national seed, against 7.4 ms this way.
    """
    kept, bodies = _participants_statements(
        Registration.objects.db, tuple(statuses), with_kecamatan
    )
    registrations: list[Registration] = statements.instances(kept, training.pk)
    names: dict[int, list[str]] = defaultdict(list)
    for profile_id, name in statements.rows(bodies, training.pk):
        names[profile_id].append(name)
    for registration in registrations:
        registration.bodies = ", ".join(names[registration.profile_id])
    return registrations


@functools.cache
def _participants_statements(
    alias: str, statuses: tuple[str, ...], with_kecamatan: bool
) -> tuple[statements.ModelStatement, statements.Statement]:
    # The organisers' participants page and daftar hadir: compiled once per database and
    # statuses (forkom.statements), read afresh for each training. First the sign-ups, then
    # the bodies of their cadres: a cadre holds one sign-up that is not cancelled
    # (registration_one_per_cadre_and_training), so for the seated and the waitlist each
    # membership comes once, in its own order (the bodies' sort order, then name), as the
    # profile shows them.
    # Read for each of 50-150 rows: the kecamatan (a third joined row each) and the cadre's
    # other columns (address, skills) made a third of the time of the participants page's
    # rows.
    columns = [
        "training_id",
        "status",
        "attended",
        "created_at",
        "profile__full_name",
        "profile__nik",
        "profile__kelurahan__name",
    ]
    related = ["profile__kelurahan"]
    if with_kecamatan:
        columns += ["profile__kelurahan__parent__name"]
        related += ["profile__kelurahan__parent"]
    return statements.compiled_models(
        Registration.objects.using(alias)
        .filter(training_id=statements.PLACEHOLDER, status__in=statuses)
        .select_related(*related)
        .only(*columns)
        .order_by("created_at", "pk")
    ), statements.compiled(
        CadreMembership.objects.using(alias)
        .filter(
            profile__training_registrations__training_id=statements.PLACEHOLDER,
            profile__training_registrations__status__in=statuses,
        )
        .values_list("profile_id", "body__name")
    )


def by_name(registrations: Iterable[Registration]) -> list[Registration]:
    """Participants in the order of the daftar hadir and of the screen list: by name, then
    by arrival. Sorted here, not by the database, whose collation differs between SQLite and
    PostgreSQL, so that the printed sheet and the screen never disagree."""
    return sorted(
        registrations,
        key=lambda registration: (registration.profile.full_name.casefold(), registration.pk),
    )


def as_listed(registrations: Iterable[Registration]) -> list[Registration]:
    """Participants in the order of the participants page: the seated by name, as the
    daftar hadir numbers them, then the waitlist in arrival order."""
    rows = list(registrations)
    seated = by_name(row for row in rows if row.status == Status.REGISTERED)
    return seated + [row for row in rows if row.status != Status.REGISTERED]


def attendance_sheet(training: Training) -> list[Registration]:
    """Seated participants by name, as the daftar hadir lists them."""
    return by_name(participants(training, statuses=(Status.REGISTERED,)))


@functools.cache
def _my_trainings_statement(alias: str) -> statements.ModelStatement:
    """Every sign-up of one cadre (PLACEHOLDER) with its training and the training's
    kecamatan, and its waitlist `position`: 1 + those waitlisted before it."""
    ahead = (
        Registration.objects.filter(training_id=OuterRef("training_id"), status=Status.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("training_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return statements.compiled_models(
        Registration.objects.using(alias)
        .filter(profile_id=statements.PLACEHOLDER)
        .select_related("training", "training__venue_kecamatan")
        .annotate(position=Coalesce(Subquery(ahead), 0) + 1)
        .order_by("training__starts_at", "pk")
    )


class MyTrainings(NamedTuple):
    """A cadre's sign-ups, grouped as "Pelatihan saya" shows them."""

    upcoming: list[Registration]
    waitlisted: list[Registration]
    attended: list[Registration]
    past: list[Registration]


def my_trainings(profile: CadreProfile, now: datetime | None = None) -> MyTrainings:
    """Every sign-up of the cadre in one query, each with its waitlist `position`:
    seats in trainings to come (soonest first), places on a waitlist, trainings attended
    (latest first), and the rest (cancelled by either side, or over without attendance)."""
    now = now or timezone.now()
    # The cadre's page of every visit: compiled once per database (forkom.statements), the
    # rows read afresh each time.
    rows = statements.instances(_my_trainings_statement(Registration.objects.all().db), profile.pk)
    mine = MyTrainings([], [], [], [])
    for registration in rows:
        training = registration.training
        running = training.state == Training.State.PUBLISHED and training.ends_at >= now
        if registration.attended:
            mine.attended.append(registration)
        elif registration.status == Status.REGISTERED and running:
            mine.upcoming.append(registration)
        elif registration.status == Status.WAITLISTED and running:
            mine.waitlisted.append(registration)
        else:
            mine.past.append(registration)
    mine.attended.reverse()
    mine.past.reverse()
    return mine


def coming(
    profile: CadreProfile, now: datetime | None = None, limit: int = 5
) -> list[Registration]:
    """The cadre's first `limit` seats and waitlist places in trainings still to be held or
    under way, soonest first, as the cadre's home page (`/`) lists them: each with its
    training's title and start. A cancelled or finished training is not coming, whatever
    its dates say. Read through a statement kept per database and length: the home page is
    the first a cadre opens, and building the query took longer than running it."""
    kept = _coming_statement(Registration.objects.db, limit)
    return statements.instances(kept, profile.pk, now or timezone.now())


@functools.lru_cache(maxsize=4)
def _coming_statement(alias: str, limit: int) -> statements.ModelStatement:
    return statements.compiled_models(
        Registration.objects.using(alias)
        .filter(
            profile_id=statements.PLACEHOLDER,
            status__in=[Status.REGISTERED, Status.WAITLISTED],
            training__state=Training.State.PUBLISHED,
            training__ends_at__gte=statements.MOMENT_PLACEHOLDER,
        )
        .select_related("training")
        .only("status", "training", "training__title", "training__starts_at")
        .order_by("training__starts_at", "pk")[:limit]
    )


def attended_and_upcoming(
    profile: CadreProfile, now: datetime | None = None
) -> tuple[list[Registration], int]:
    """For the cadre's own page, in one query: the finished trainings they attended (as
    attended_trainings) and how many trainings to come they hold a seat or a waitlist place
    in. The two kinds of sign-up do not overlap: one was attended, the other not yet."""
    attended: list[Registration] = []
    upcoming = 0
    kept = _attended_and_upcoming_statement(Registration.objects.db)
    for registration in statements.instances(kept, profile.pk, now or timezone.now()):
        if registration.attended:
            attended.append(registration)
        else:
            upcoming += 1
    return attended, upcoming


@functools.cache
def _attended_and_upcoming_statement(alias: str) -> statements.ModelStatement:
    # The cadre's own page, the one most opened: compiled once per database
    # (forkom.statements), read afresh with the profile and the moment.
    return statements.compiled_models(
        Registration.objects.using(alias)
        .filter(profile_id=statements.PLACEHOLDER)
        .filter(
            ATTENDED_AND_FINISHED
            | Q(
                status__in=[Status.REGISTERED, Status.WAITLISTED],
                attended=False,
                training__state=Training.State.PUBLISHED,
                training__ends_at__gte=statements.MOMENT_PLACEHOLDER,
            )
        )
        .select_related("training")
        .order_by("-training__starts_at")
    )


def attended_trainings(profile: CadreProfile) -> list[Registration]:
    """Finished trainings the cadre attended, latest first, with the certificate code."""
    return statements.instances(_attended_statement(Registration.objects.db), profile.pk)


@functools.cache
def _attended_statement(alias: str) -> statements.ModelStatement:
    # A cadre's page as their officers and coordinator open it: compiled once per database
    # (forkom.statements), read afresh.
    return statements.compiled_models(
        Registration.objects.using(alias)
        .filter(ATTENDED_AND_FINISHED, profile_id=statements.PLACEHOLDER)
        .select_related("training")
        .order_by("-training__starts_at")
    )


def certificate(code: str) -> Registration | None:
    """The registration behind a certificate code, or None for an unknown or void code.

    With what the public check shows and nothing more: the holder's name (none of their
    other personal data is read for a page anyone may open), the training's title, organiser,
    dates and signatory. The code is unique."""
    try:
        return (
            Registration.objects.filter(ATTENDED_AND_FINISHED, certificate_code=code)
            .select_related("training", "profile")
            .only(
                "training",
                "profile",
                "profile__full_name",
                *(f"training__{name}" for name in CERTIFICATE_TRAINING_FIELDS),
            )
            .get()
        )
    except Registration.DoesNotExist:
        return None


# The training's fields a certificate's public check shows (templates/trainings/certificate.html).
CERTIFICATE_TRAINING_FIELDS = (
    "title",
    "organiser",
    "starts_at",
    "ends_at",
    "signatory_name",
    "signatory_title",
)


def present_count(training: Training) -> int:
    return training.registrations.filter(status=Status.REGISTERED, attended=True).count()


class SeatCount(NamedTuple):
    """A training whose stored `seats_taken` differs from a count of its seated sign-ups."""

    training_id: int
    title: str
    stored: int
    counted: int


def seat_count_mismatches() -> list[SeatCount]:
    """Every training whose counter disagrees with a recount, in one query (one snapshot)."""
    seated = (
        Registration.objects.filter(training_id=OuterRef("pk"), status=Status.REGISTERED)
        .order_by()
        .values("training_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Training.objects.annotate(counted=Coalesce(Subquery(seated), 0))
        .exclude(seats_taken=F("counted"))
        .order_by("pk")
        .values_list("pk", "title", "seats_taken", "counted")
    )
    return [SeatCount(*row) for row in rows]


# The sign-up summary's check (manage.py check_signup_summary).


class SummaryCounts(NamedTuple):
    signups: int = 0
    seated_finished: int = 0
    attended_finished: int = 0


class SummaryMismatch(NamedTuple):
    """A (kelurahan, month) whose stored summary differs from a recount of its sign-ups."""

    kelurahan_id: str
    month: date
    stored: SummaryCounts
    counted: SummaryCounts


def signup_recount() -> QuerySet[Registration, tuple[str, date, int, int, int]]:
    """The summary's rows counted afresh from the sign-ups: per kelurahan of the cadre and
    month of the sign-up in local time (what the triggers of migration 0008 keep)."""
    seated = Q(status=Status.REGISTERED, training__state=Training.State.FINISHED)
    month = TruncMonth(
        "created_at", output_field=DateField(), tzinfo=timezone.get_default_timezone()
    )
    return (
        Registration.objects.annotate(month=month)
        .values("profile__kelurahan_id", "month")
        .order_by()
        .annotate(
            signups=Count("pk"),
            seated_finished=Count("pk", filter=seated),
            attended_finished=Count("pk", filter=seated & Q(attended=True)),
        )
        .values_list(
            "profile__kelurahan_id", "month", "signups", "seated_finished", "attended_finished"
        )
    )


def signup_summary_mismatches() -> list[SummaryMismatch]:
    """Every (kelurahan, month) whose summary disagrees with a recount; a missing row counts
    as zeros. Both reads see one snapshot: a transaction of its own, REPEATABLE READ on
    PostgreSQL (SQLite's read transaction is one already)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counted = {(row[0], row[1]): SummaryCounts(*row[2:]) for row in signup_recount()}
        stored = {
            (row[0], row[1]): SummaryCounts(*row[2:])
            for row in SignupSummary.objects.values_list(
                "kelurahan_id", "month", "signups", "seated_finished", "attended_finished"
            )
        }
    zero = SummaryCounts()
    return [
        SummaryMismatch(kelurahan, month, stored.get(key, zero), counted.get(key, zero))
        for key in sorted(counted.keys() | stored.keys())
        if stored.get(key, zero) != counted.get(key, zero)
        for kelurahan, month in [key]
    ]
