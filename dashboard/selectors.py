"""Figures of the coordinator and province dashboards, counted by the database.

Every figure comes from an aggregate query over the rows whose code column starts with the
area's code (`64.74`: one index range scan on PostgreSQL), grouped by a prefix of that
code: 5 characters name a kota, 8 a kecamatan, 13 a kelurahan. No row is loaded into Python
to be counted, and each group of figures costs one query, so a page costs the same number
of queries whatever the size of the data. Every query also goes through forkom.scope: what
the viewer may not see is never counted.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear, Left
from django.utils import timezone

from cadres.forums import selectors as forum_selectors
from cadres.forums.selectors import has_ketua
from cadres.models import AreaBodyCount, AreaStatusCount, Body, CadreProfile
from forkom import replica, scope, statements
from forkom.accounts.models import Role
from forkom.scope import Viewer
from forkom.territory.codes import subtree_prefix
from forkom.territory.models import Region
from programs.models import Innovation, Proposal
from programs.selectors import not_own
from trainings.models import Registration, SignupSummary, Training

Level = Region.Level
State = Proposal.State
Status = CadreProfile.Status

# How long the code of a region of each level is: the prefix that names it.
CODE_LENGTH = {
    Level.PROVINSI: 2,
    Level.KABUPATEN_KOTA: 5,
    Level.KECAMATAN: 8,
    Level.DESA_KELURAHAN: 13,
}
KECAMATAN_LENGTH = CODE_LENGTH[Level.KECAMATAN]
FORUM_LEVELS = (Level.KECAMATAN, Level.DESA_KELURAHAN)
# The states a reviewer can see, in the order of the chain; a draft is its proposer's alone.
SHOWN_STATES = (
    State.SUBMITTED,
    State.RECOMMENDED,
    State.ESCALATED,
    State.ACCEPTED,
    State.RETURNED,
    State.DECLINED,
    State.WITHDRAWN,
)
# A training is held once it has started, unless it was cancelled; drafts are not public.
HELD_STATES = (Training.State.PUBLISHED, Training.State.FINISHED)
TRAINING_WINDOW = timedelta(days=90)
SIGNUP_MONTHS = 12
QUEUE_SIZE = 25


@dataclass(frozen=True)
class Period:
    """The days a dashboard's activity figures are read for, both included: proposals
    submitted, trainings starting (and their attendance), sign-ups made, meetings held."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first day's start to the day after the last, in local time (WITA)."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, datetime.min.time(), tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), datetime.min.time(), tzinfo=zone),
        )

    @property
    def query(self) -> str:
        """The period as the dashboard's links carry it."""
        return urlencode({"dari": self.start.isoformat(), "sampai": self.end.isoformat()})

    def months(self) -> list[datetime]:
        """The first day of each month the period touches, the last 24 at most."""
        touched = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        last_day = self.bounds()[1] - timedelta(days=1)
        return month_starts(last_day, count=min(touched, SIGNUP_MONTHS * 2))


@dataclass
class Figures:
    """The figures of one area: a row of a dashboard table, or the total row."""

    code: str
    name: str = ""
    level: int = 0
    is_active: bool = True
    # The area's own forum (kecamatan and kelurahan rows).
    sk_number: str = ""
    sk_date: date | None = None
    has_ketua: bool = False
    # The forums of the regions below it: {level: [formed, total]}.
    forums: dict[int, list[int]] = field(default_factory=dict)
    cadres: dict[str, int] = field(default_factory=dict)
    # Verified cadres per body id.
    bodies: dict[int, int] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)
    # Since when the longest-waiting proposal of each state has been waiting.
    oldest: dict[str, datetime] = field(default_factory=dict)
    trainings_held: int = 0
    trainings_upcoming: int = 0
    registered: int = 0
    attended: int = 0

    @property
    def forum_formed(self) -> bool:
        return forum_selectors.is_formed(
            has_ketua=self.has_ketua, sk_number=self.sk_number, sk_date=self.sk_date
        )

    @property
    def kecamatan_formed(self) -> int:
        return self.forums.get(Level.KECAMATAN, (0, 0))[0]

    @property
    def kecamatan_total(self) -> int:
        return self.forums.get(Level.KECAMATAN, (0, 0))[1]

    @property
    def kelurahan_formed(self) -> int:
        return self.forums.get(Level.DESA_KELURAHAN, (0, 0))[0]

    @property
    def kelurahan_total(self) -> int:
        return self.forums.get(Level.DESA_KELURAHAN, (0, 0))[1]

    @property
    def verified(self) -> int:
        return self.cadres.get(Status.VERIFIED, 0)

    @property
    def waiting(self) -> int:
        return self.cadres.get(Status.WAITING, 0)

    @property
    def recommended(self) -> int:
        """Proposals waiting for the Koordinator Kota."""
        return self.proposals.get(State.RECOMMENDED, 0)

    @property
    def escalated(self) -> int:
        """Proposals waiting for the province."""
        return self.proposals.get(State.ESCALATED, 0)

    @property
    def attendance_rate(self) -> int | None:
        """Attended out of registered, in whole percent; None when nobody was registered."""
        if not self.registered:
            return None
        return round(100 * self.attended / self.registered)

    def has_figures(self) -> bool:
        return bool(
            any(self.cadres.values())
            or any(self.proposals.values())
            or self.trainings_held
            or self.trainings_upcoming
            or self.registered
        )

    def state_counts(self) -> list[tuple[str, int]]:
        return [(state, self.proposals.get(state, 0)) for state in SHOWN_STATES]

    def body_counts(self, bodies: Iterable[Body]) -> list[tuple[Body, int]]:
        return [(body, self.bodies.get(body.pk, 0)) for body in bodies]

    def waiting_days(self, state: str, now: datetime) -> int | None:
        since = self.oldest.get(state)
        return None if since is None else (now - since).days

    def add(self, other: "Figures") -> None:
        """Adds the figures of `other` (a row) to these (a total)."""
        for level, (formed, total) in other.forums.items():
            counts = self.forums.setdefault(level, [0, 0])
            counts[0] += formed
            counts[1] += total
        pairs: tuple[tuple[dict[Any, int], dict[Any, int]], ...] = (
            (self.cadres, other.cadres),
            (self.bodies, other.bodies),
            (self.proposals, other.proposals),
        )
        for mine, theirs in pairs:
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        for state, since in other.oldest.items():
            if state not in self.oldest or since < self.oldest[state]:
                self.oldest[state] = since
        self.trainings_held += other.trainings_held
        self.trainings_upcoming += other.trainings_upcoming
        self.registered += other.registered
        self.attended += other.attended


@dataclass
class Dashboard:
    """An area's dashboard: a row per region one level below it, the total, the series."""

    area: Region
    rows: list[Figures]
    total: Figures
    bodies: list[Body]
    signups: list[tuple[datetime, int]]
    now: datetime
    period: Period | None = None

    @property
    def formed_rows(self) -> int:
        """Rows whose own forum is formed (the kecamatan forums of a city dashboard)."""
        return sum(row.forum_formed for row in self.rows)


# --- the figures, one query each ------------------------------------------------------------


def _grouped(queryset: QuerySet[Any], column: str, length: int) -> QuerySet[Any]:
    """`queryset` grouped by the first `length` characters of the code in `column`."""
    return queryset.annotate(area=Left(column, length)).values("area").order_by()


def _rows(area: Region, row_level: int) -> list[Any]:
    """The regions one level below `area`, each with its own forum's SK and ketua: a query
    kept per database, day and level (forkom.statements), read afresh for each page."""
    alias = Region.objects.all().db  # the replica's, inside replica.reads()
    return statements.instances(_rows_statement(alias, timezone.localdate(), row_level), area.code)


@lru_cache(maxsize=8)
def _rows_statement(alias: str, today: date, row_level: int) -> statements.ModelStatement:
    return statements.compiled_models(
        Region.objects.using(alias)
        .filter(parent_id=statements.TEXT_PLACEHOLDER, level=row_level)
        .annotate(
            forum_sk_number=F("forum__sk_number"),
            forum_sk_date=F("forum__sk_date"),
            forum_has_ketua=has_ketua(OuterRef("code"), today),
        )
        .order_by("name", "code")
    )


def _forums(
    area: Region, length: int, levels: Iterable[int]
) -> dict[tuple[str, int], tuple[int, int]]:
    """{(area code, level): (formed, total)} for the forums of the active regions below.

    A forum is formed by the rule of cadres.forums.selectors.formed; a region without a Forum
    row counts as a forum not formed yet.
    """
    formed = forum_selectors.formed(through="forum__", region_code="code")
    regions = Region.objects.active().filter(
        code__startswith=subtree_prefix(area.code), level__in=levels
    )
    return {
        (group["area"], group["level"]): (group["formed"], group["total"])
        for group in _grouped(regions, "code", length)
        .values("area", "level")
        .annotate(total=Count("code"), formed=Count("code", filter=formed))
    }


def _cadres(user: Viewer, area: Region, length: int) -> dict[str, dict[str, int]]:
    """{area code: {status: count}}."""
    return _kept_counts(AreaStatusCount, "status", user, area, length)


def _bodies(user: Viewer, area: Region, length: int) -> dict[str, dict[int, int]]:
    """{area code: {body id: verified cadres serving in it}} (a cadre serves once per body)."""
    return _kept_counts(AreaBodyCount, "body_id", user, area, length)


def _kept_counts(
    model: type[AreaStatusCount] | type[AreaBodyCount],
    key: str,
    user: Viewer,
    area: Region,
    length: int,
) -> dict[str, dict[Any, int]]:
    """{area code: {key: cadres}} from the counts per kelurahan that the triggers keep."""
    counts = scope.within(
        model.objects.filter(cadres__gt=0),
        user,
        "kelurahan__code",
        area.code,
        scope.OFFICERS_AND_ABOVE,
    )
    grouped: dict[str, dict[Any, int]] = {}
    for group in (
        _grouped(counts, "kelurahan", length).values("area", key).annotate(count=Sum("cadres"))
    ):
        grouped.setdefault(group["area"], {})[group[key]] = group["count"]
    return grouped


def visible_proposals(user: Viewer, area: Region) -> QuerySet[Proposal]:
    """The proposals of the area that the viewer sees as a reviewer (submitted at least once)."""
    return scope.within(
        Proposal.objects.filter(first_submitted_at__isnull=False),
        user,
        "location__code",
        area.code,
        scope.OFFICERS_AND_ABOVE,
    )


def _proposals(
    user: Viewer, area: Region, length: int, period: Period | None = None
) -> dict[str, Any]:
    """{area code: ({state: count}, {state: since when the oldest has waited})}; with a
    period, of the proposals first submitted in it."""
    proposals = visible_proposals(user, area)
    if period is not None:
        start, end = period.bounds()
        proposals = proposals.filter(first_submitted_at__gte=start, first_submitted_at__lt=end)
    counts: dict[str, Any] = {}
    for group in (
        _grouped(proposals, "location", length)
        .values("area", "state")
        .annotate(count=Count("pk"), oldest=Min("state_changed_at"))
    ):
        states, oldest = counts.setdefault(group["area"], ({}, {}))
        states[group["state"]] = group["count"]
        oldest[group["state"]] = group["oldest"]
    return counts


def _trainings(
    area: Region, length: int, now: datetime, period: Period | None = None
) -> dict[str, tuple[int, int]]:
    """{area code: (held in the last 90 days, upcoming in the next 90 days)}, by venue; with
    a period, (held, still to come) of those starting in it.

    Trainings are public (all but drafts), so nothing is hidden from anyone here. A venue is
    a kecamatan, the area itself on a kecamatan's drill-down: kelurahan rows have none, and
    their kecamatan's figures go to the total.
    """
    since, until = (now - TRAINING_WINDOW, now + TRAINING_WINDOW)
    if period is not None:
        since, until = period.bounds()
    trainings = Training.objects.filter(
        venue_kecamatan__code__startswith=area.code,
        state__in=HELD_STATES,
        starts_at__gte=since,
        starts_at__lt=until,
    )
    held = Q(starts_at__lt=now)
    upcoming = Q(starts_at__gte=now, state=Training.State.PUBLISHED)
    return {
        group["area"]: (group["held"], group["upcoming"])
        for group in _grouped(
            trainings, "venue_kecamatan", min(length, KECAMATAN_LENGTH)
        ).annotate(held=Count("pk", filter=held), upcoming=Count("pk", filter=upcoming))
    }


def month_starts(now: datetime, count: int = SIGNUP_MONTHS) -> list[datetime]:
    """The first day of each of the last `count` months, this one last (local time)."""
    today = timezone.localtime(now).date()
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime(year, month, 1, tzinfo=timezone.get_current_timezone()))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


Attendance = dict[str, tuple[int, int]]
Signups = list[tuple[datetime, int]]


def _fold(groups: Iterable[dict[str, Any]], month: str) -> tuple[Attendance, dict[Any, int]]:
    """Rows grouped by area and month (`month` names the month's key, None outside the
    series) folded into attendance per area, {area: (registered, attended)}, and sign-ups
    per month, {month: count}."""
    attendance: Attendance = {}
    signups: dict[Any, int] = {}
    for group in groups:
        registered, attended = attendance.get(group["area"], (0, 0))
        attendance[group["area"]] = (
            registered + group["registered"],
            attended + group["attended"],
        )
        if group[month] is not None:
            signups[group[month]] = signups.get(group[month], 0) + group["signups"]
    return attendance, signups


def _registrations(
    user: Viewer,
    area: Region,
    length: int,
    now: datetime,
    with_signups: bool,
    period: Period | None = None,
) -> tuple[Attendance, Signups]:
    """Attendance per area, {area code: (registered, attended)}, for finished trainings, by
    the cadres' kelurahan; and, `with_signups`, the sign-ups of the area's cadres in each of
    the last 12 months, [(month start, count)]. With a period: the finished trainings that
    started in it, and the sign-ups made in it, month by month.

    Without a period, from the sign-up summary (per kelurahan and month, kept by database
    triggers: a few rows per kelurahan instead of every sign-up); with one, from the
    sign-ups themselves, since a period's days cut through the summary's months.
    """
    if period is not None:
        return _registrations_live(user, area, length, now, with_signups, period)
    # Rows brought back to zero (every sign-up moved away or deleted) are no figures at all.
    summary = scope.within(
        SignupSummary.objects.filter(signups__gt=0),
        user,
        "kelurahan__code",
        area.code,
        scope.OFFICERS_AND_ABOVE,
    )
    months = month_starts(now)
    month: Case | Value = Value(None, output_field=DateField())
    if with_signups:
        month = Case(When(month__gte=months[0].date(), then="month"), output_field=DateField())
    # The summary has a field named `month`: the series' month is annotated as `in_series`.
    attendance, signups = _fold(
        _grouped(summary, "kelurahan", length)
        .annotate(in_series=month)
        .values("area", "in_series")
        .annotate(
            registered=Sum("seated_finished"),
            attended=Sum("attended_finished"),
            signups=Sum("signups"),
        ),
        "in_series",
    )
    series = [(start, signups.get(start.date(), 0)) for start in months]
    return attendance, series if with_signups else []


def _registrations_live(
    user: Viewer,
    area: Region,
    length: int,
    now: datetime,
    with_signups: bool,
    period: Period | None = None,
) -> tuple[Attendance, Signups]:
    """_registrations counted from the sign-ups themselves: one pass over the area's
    sign-ups gives both, grouped by area and by month (the month only for the series' months,
    so the groups stay at most areas x 13, or 25 with a period)."""
    seated = Q(status=Registration.Status.REGISTERED, training__state=Training.State.FINISHED)
    registrations = scope.within(
        Registration.objects.all(),
        user,
        "profile__kelurahan__code",
        area.code,
        scope.OFFICERS_AND_ABOVE,
    )
    months = month_starts(now)
    made = Q()
    if period is not None:
        start, end = period.bounds()
        months = period.months()
        seated &= Q(training__starts_at__gte=start, training__starts_at__lt=end)
        made = Q(created_at__gte=start, created_at__lt=end)
        registrations = registrations.filter(seated | made)
    if with_signups:
        # The month as a number, 202611 for November 2026 in WITA: the same on every database.
        zone = timezone.get_current_timezone()
        in_window = ExtractYear("created_at", tzinfo=zone) * 100 + ExtractMonth(
            "created_at", tzinfo=zone
        )
        month: Case | Value = Case(
            When(made & Q(created_at__gte=months[0]), then=in_window),
            output_field=IntegerField(),
        )
    else:
        registrations = registrations.filter(seated)
        month = Value(None, output_field=IntegerField())
    attendance, signups = _fold(
        _grouped(registrations, "profile__kelurahan", length)
        .annotate(month=month)
        .values("area", "month")
        .annotate(
            registered=Count("pk", filter=seated),
            attended=Count("pk", filter=seated & Q(attended=True)),
            signups=Count("pk", filter=made) if period is not None else Count("pk"),
        ),
        "month",
    )
    series = []
    for start in months:
        local = timezone.localtime(start)
        series.append((start, signups.get(local.year * 100 + local.month, 0)))
    return attendance, series if with_signups else []


def _shown_bodies(bodies: Iterable[Body], totals: dict[int, int]) -> list[Body]:
    """Active bodies, and retired ones that still have cadres in the area."""
    return [body for body in bodies if body.is_active or totals.get(body.pk)]


# --- the dashboard --------------------------------------------------------------------------


def dashboard(
    user: Viewer,
    area: Region,
    *,
    with_signups: bool = False,
    now: datetime | None = None,
    period: Period | None = None,
) -> Dashboard:
    """The figures of every region one level below `area` (a provinsi, kota or kecamatan).

    A fixed number of queries: the rows, the forums (not for kelurahan rows, which have none
    below them), cadres by status, cadres by body, the bodies, proposals by state,
    trainings, attendance, and the sign-ups per month when `with_signups` (for the charts).
    """
    now = now or timezone.now()
    row_level = area.level + 1
    length = CODE_LENGTH[Level(row_level)]
    forum_levels = [level for level in FORUM_LEVELS if level > row_level]
    # The heaviest reads of the portal, and figures a moment's lag cannot mislead: a read
    # replica may answer them. Who the viewer is and what they reach come from the primary.
    scope.grants(user)
    with replica.reads():
        regions = _rows(area, row_level)
        forums = _forums(area, length, forum_levels) if forum_levels else {}
        cadres = _cadres(user, area, length)
        bodies = _bodies(user, area, length)
        proposals = _proposals(user, area, length, period)
        trainings = _trainings(area, length, now, period)
        attendance, signups = _registrations(user, area, length, now, with_signups, period)
        all_bodies = list(Body.objects.all())

    rows = []
    for region in regions:
        states, oldest = proposals.get(region.code, ({}, {}))
        registered, attended = attendance.get(region.code, (0, 0))
        held, upcoming = trainings.get(region.code, (0, 0))
        row = Figures(
            code=region.code,
            name=region.name,
            level=region.level,
            is_active=region.is_active,
            sk_number=region.forum_sk_number or "",
            sk_date=region.forum_sk_date,
            has_ketua=region.forum_has_ketua,
            forums={
                level: list(forums.get((region.code, level), (0, 0))) for level in forum_levels
            },
            cadres=cadres.get(region.code, {}),
            bodies=bodies.get(region.code, {}),
            proposals=states,
            oldest=oldest,
            trainings_held=held,
            trainings_upcoming=upcoming,
            registered=registered,
            attended=attended,
        )
        # A region that left the Kemendagri table stays only while it still has figures.
        if region.is_active or row.has_figures():
            rows.append(row)

    total = Figures(code=area.code, name=area.name, level=area.level)
    for row in rows:
        total.add(row)
    if row_level == Level.DESA_KELURAHAN:
        # Trainings take place in a kecamatan: the drill-down's total holds its own.
        total.trainings_held, total.trainings_upcoming = trainings.get(area.code, (0, 0))
    return Dashboard(
        area=area,
        rows=rows,
        total=total,
        bodies=_shown_bodies(all_bodies, total.bodies),
        signups=signups,
        now=now,
        period=period,
    )


# --- who sees which dashboard ---------------------------------------------------------------


def get_city_or_404(user: Viewer, code: str) -> Region:
    """The kota (or kabupaten) whose dashboard `user` may see: its coordinator and the Dinas
    staff over it. Everyone else gets 404."""
    return scope.get_or_404(
        Region.objects.filter(level=Level.KABUPATEN_KOTA).select_related("parent"),
        user,
        "code",
        scope.CITY_AND_ABOVE,
        code=code,
    )


def get_kecamatan_or_404(user: Viewer, city_code: str, code: str) -> Region:
    """A kecamatan of the kota, for those who see the kota's dashboard; with its own forum."""
    kecamatan = Region.objects.filter(level=Level.KECAMATAN, parent_id=city_code).annotate(
        forum_sk_number=F("forum__sk_number"),
        forum_sk_date=F("forum__sk_date"),
        forum_has_ketua=has_ketua(OuterRef("code")),
    )
    return scope.get_or_404(
        kecamatan.select_related("parent"), user, "parent__code", scope.CITY_AND_ABOVE, code=code
    )


def get_province_or_404(user: Viewer, code: str) -> Region:
    """The provinsi whose dashboard `user` may see: Dinas staff of the whole province."""
    return scope.get_or_404(
        Region.objects.filter(level=Level.PROVINSI), user, "code", scope.STAFF, code=code
    )


def may_escalate(user: Viewer, city: Region) -> bool:
    return scope.can_act(user, city.code, {Role.CITY_COORDINATOR})


def may_accept(user: Viewer, province: Region) -> bool:
    return scope.can_act(user, province.code, scope.STAFF)


# --- the queues -----------------------------------------------------------------------------


def _queue(user: Viewer, area: Region, state: str, may_decide: bool) -> list[Proposal]:
    """Proposals of the area in `state`, the longest wait first.

    The reviewer of that step does not see their own proposals here (nobody decides on a
    proposal they are part of); others who see the dashboard read the same queue.
    """
    proposals = visible_proposals(user, area).filter(state=state)
    if may_decide:
        proposals = proposals.filter(not_own(user))
    # A kota's queue names the kelurahan and kecamatan, the province's also the kota: read as
    # columns of the proposal (dashboard_queue.queue_items), not as two or three regions
    # built for each of the 25, and of the proposal only what the queue shows.
    names = {"kelurahan_name": F("location__name"), "kecamatan_name": F("location__parent__name")}
    if area.level == Level.PROVINSI:
        names["kota_name"] = F("location__parent__parent__name")
    # The first QUEUE_SIZE are picked in a subquery before their regions are joined: joined
    # first, PostgreSQL looked up the regions of every waiting proposal before sorting (the
    # province's 284 escalated ones: 1.3 ms of running instead of 0.4; one query either way).
    first = proposals.order_by("state_changed_at", "pk").values("pk")[:QUEUE_SIZE]
    return list(
        Proposal.objects.filter(pk__in=first)
        .only("public_id", "title", "budget", "state_changed_at")
        .annotate(**names)
        .order_by("state_changed_at", "pk")
    )


def escalation_queue(user: Viewer, city: Region, may_decide: bool) -> list[Proposal]:
    """Proposals recommended by a kecamatan forum of the kota, for the Koordinator Kota."""
    return _queue(user, city, State.RECOMMENDED, may_decide)


def province_queue(user: Viewer, province: Region, may_decide: bool) -> list[Proposal]:
    """Proposals escalated to the province by a Koordinator Kota, for Dinas staff."""
    return _queue(user, province, State.ESCALATED, may_decide)


def channelled_innovations(user: Viewer, province: Region) -> list[Innovation]:
    """Innovations channelled to the province, the latest first."""
    return list(
        scope.within(
            Innovation.objects.filter(channelled_at__isnull=False),
            user,
            "kelurahan__code",
            province.code,
            scope.OFFICERS_AND_ABOVE,
        )
        .select_related("kelurahan", "kelurahan__parent", "kelurahan__parent__parent")
        .order_by("-channelled_at", "-pk")[:QUEUE_SIZE]
    )
