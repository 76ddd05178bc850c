"""Reads about forums: the public directory, the manage page, and who may do what.

A forum's officers are the current forum-officer role assignments held at its region; it is
formed (terbentuk) when it has a current ketua and its SK (decree) is recorded. Regions
without a Forum row yet are shown as forums not yet formed, so nothing is written on a read.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres.models import CadreProfile, Forum, ForumEvent, ForumMember
from forkom import scope, statements
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.pagination import first_rows
from forkom.scope import Viewer
from forkom.territory.models import Region

KECAMATAN = Region.Level.KECAMATAN
FORUM_LEVELS = (KECAMATAN, Region.Level.DESA_KELURAHAN)
# The kecamatan officers who shape the forums of their kelurahan (SK, officers).
SHAPING_POSITIONS = {Position.KETUA, Position.SEKRETARIS}
# One person at a time holds each of these in a forum; koordinator bidang may be several.
SINGLE_POSITIONS = {
    Position.KETUA,
    Position.WAKIL_KETUA,
    Position.SEKRETARIS,
    Position.BENDAHARA,
}
POSITION_ORDER = {position: rank for rank, position in enumerate(Position.values)}
TIMELINE_LENGTH = 50
# The manage page's search lists this many cadres; a longer list asks for more of the name.
SEARCH_LIMIT = 20


# --- who may do what ------------------------------------------------------------------------


def _holds_position(user: Viewer, code: str, positions: Iterable[str] | None = None) -> bool:
    return any(
        grant.role == Role.FORUM_OFFICER
        and grant.region_code == code
        and (positions is None or grant.position in positions)
        for grant in scope.grants(user)
    )


def may_shape(user: Viewer, region: Region) -> bool:
    """Whether `user` may record the SK of the forum of `region` and appoint or end officers.

    The city coordinator and Dinas staff over the region may, for any forum; for a kelurahan
    forum so may the ketua and sekretaris of its kecamatan forum.
    """
    if scope.can_act(user, region.code, scope.CITY_AND_ABOVE):
        return True
    return region.level == Region.Level.DESA_KELURAHAN and _holds_position(
        user, region.parent_id or "", SHAPING_POSITIONS
    )


def may_manage_members(user: Viewer, region: Region) -> bool:
    """Whether `user` may add and remove members: the forum's own officers, the kecamatan
    forum's officers for a kelurahan forum, the city coordinator and Dinas staff."""
    if scope.can_act(user, region.code, scope.CITY_AND_ABOVE) or _holds_position(
        user, region.code
    ):
        return True
    return region.level == Region.Level.DESA_KELURAHAN and _holds_position(
        user, region.parent_id or ""
    )


def may_manage(user: Viewer, region: Region) -> bool:
    """Whether the manage page of the forum exists for `user` (the same test as its 404)."""
    return scope.can_act(user, region.code, scope.OFFICERS_AND_ABOVE)


# --- building blocks ------------------------------------------------------------------------


def current_officers(today: date | None = None) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.current(today).filter(role=Role.FORUM_OFFICER)


def _count(queryset: QuerySet[Any], group_by: str) -> Coalesce:
    """A subquery counting `queryset` rows per outer row (0 when none)."""
    counted = queryset.values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def has_ketua(region_ref: Any, today: date | None = None) -> Exists:
    """An Exists over a current ketua at the region code that `region_ref` points to."""
    return Exists(current_officers(today).filter(position=Position.KETUA, region_id=region_ref))


def formed(*, through: str = "", region_code: str = "region_id", today: date | None = None) -> Q:
    """The rule that a forum is formed (terbentuk), as a condition: its SK (number and date)
    is recorded and it has a current ketua. `through` leads from the rows filtered to the
    forum ("" on Forum rows, "forum__" on regions); `region_code` names the forum's code."""
    return (
        Q(**{f"{through}sk_date__isnull": False})
        & ~Q(**{f"{through}sk_number": ""})
        & Q(has_ketua(OuterRef(region_code), today))
    )


def is_formed(*, has_ketua: bool, sk_number: str, sk_date: date | None) -> bool:
    """The same rule on values already read (a row of the directory or a dashboard)."""
    return bool(has_ketua and sk_number and sk_date)


def with_forum_columns(regions: QuerySet[Region], today: date | None = None) -> QuerySet[Region]:
    """Regions annotated with their forum's SK, whether it has a ketua, and its member count."""
    members = ForumMember.objects.current().filter(forum_id=OuterRef("code"))
    return with_formation_columns(regions, today).annotate(
        member_count=_count(members, "forum_id")
    )


def with_formation_columns(
    regions: QuerySet[Region], today: date | None = None
) -> QuerySet[Region]:
    """Regions annotated with what says whether their forum is formed (is_formed): its SK and
    whether it has a ketua. Without the member count, which counts every member."""
    return regions.annotate(
        sk_number=F("forum__sk_number"),
        sk_date=F("forum__sk_date"),
        has_ketua=has_ketua(OuterRef("code"), today),
    )


def _with_kelurahan_counts(
    kecamatan: QuerySet[Region], today: date | None = None
) -> QuerySet[Region]:
    kelurahan = Region.objects.active().filter(
        parent_id=OuterRef("code"), level=Region.Level.DESA_KELURAHAN
    )
    formed_forums = Forum.objects.filter(
        formed(today=today), region__parent_id=OuterRef("code"), region__is_active=True
    )
    return kecamatan.annotate(
        kelurahan_count=_count(kelurahan, "parent_id"),
        kelurahan_formed=_count(formed_forums, "region__parent_id"),
    )


def forum_regions() -> QuerySet[Region]:
    return Region.objects.active().filter(level__in=FORUM_LEVELS)


# Per viewer (forkom.scope.viewer_key), roles, day and database; statements.PER_VIEWER at
# most.
_formation_in_reach: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def formation_in_reach(user: Viewer, roles: Iterable[str]) -> list[Region]:
    """The forum regions `user` reaches through `roles`, by code, each with its code, name and
    formation columns (with_formation_columns): a coordinator's home lists those of their
    kota not formed yet. One statement kept per viewer and day (planning it took 2 of its
    4 ms on every visit: Kota Bontang's 18 regions, national seed); the rows read afresh."""
    wanted = frozenset(roles)
    today = timezone.localdate()
    return statements.kept_instances(
        _formation_in_reach,
        (Region.objects.all().db, today, wanted, scope.viewer_key(user)),
        lambda: (
            with_formation_columns(scope.scoped(forum_regions(), user, "code", wanted), today)
            .only("code", "name")
            .order_by("code")
        ),
    )


def area_cadres(region: Region) -> QuerySet[CadreProfile]:
    """Verified cadres whose kelurahan lies in the region (the people a forum is made of)."""
    return CadreProfile.objects.filter(
        status=CadreProfile.Status.VERIFIED,
        kelurahan_id__in=Region.objects.within(region.code).values("code"),
    )


def is_in_area(profile: CadreProfile, region: Region) -> bool:
    return profile.status == CadreProfile.Status.VERIFIED and region.contains(profile.kelurahan_id)


# What display_name() reads of a person, as (name, path from their account): for a row
# that mentions a person to carry these as columns of its own (an event's actor, subject).
PERSON_COLUMNS = (
    ("profile_name", "cadre_profile__full_name"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("email", "email"),
)


def person_name(user: Any) -> str:
    """A person's name as people know it, never an email: their cadre profile's (the name
    their officers verified), else their account's. The one rule of which name wins, for
    pages and for the names that timelines store."""
    if user is None:
        return ""
    try:
        profile = user.cadre_profile
    except ObjectDoesNotExist:
        profile = None
    return name_of(
        profile.full_name if profile is not None else "", user.first_name, user.last_name
    )


def name_of(profile_name: str | None, first_name: str, last_name: str) -> str:
    """person_name() over the columns it reads: the profile's name, else the account's first
    and last names (as the account's get_full_name() joins them)."""
    if profile_name:
        return str(profile_name)
    return f"{first_name} {last_name}".strip()


def display_name(user: Any, *, public: bool = True) -> str | None:
    """The name shown for a person (person_name). Pages for officers may fall back to the
    email address; public pages never show it."""
    if user is None:
        return ""
    return shown_name(person_name(user), user.email, public=public)


def shown_name(name: str, email: str, *, public: bool) -> str | None:
    """display_name() over a person's name (person_name, name_of) and email: the name, else
    for officers the email, else "(name not recorded)"; None on a public page without a
    name."""
    return name or (None if public else email) or _("(name not recorded)")


def name_for_officers(
    profile_name: str | None, first_name: str, last_name: str, email: str
) -> str:
    """display_name(..., public=False) over a person's columns, in PERSON_COLUMNS' order: for
    rows that carry them instead of the person's account and profile."""
    name = name_of(profile_name, first_name, last_name)
    return shown_name(name, email, public=False) or ""


# --- rows -----------------------------------------------------------------------------------


@dataclass
class Officer:
    name: str | None
    position: str
    position_label: str
    field: str = ""
    assignment_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass
class ForumRow:
    """A kecamatan or kelurahan with its forum's state, as the directory shows it."""

    region: Region
    sk_number: str
    sk_date: date | None
    has_ketua: bool
    member_count: int
    officers: list[Officer] = field(default_factory=list)
    kelurahan_count: int = 0
    kelurahan_formed: int = 0

    @property
    def formed(self) -> bool:
        return is_formed(has_ketua=self.has_ketua, sk_number=self.sk_number, sk_date=self.sk_date)

    @property
    def ketua(self) -> Officer | None:
        return next((o for o in self.officers if o.position == Position.KETUA), None)

    @property
    def missing(self) -> list[str]:
        """What the forum still lacks to be formed, in the words of is_formed()."""
        lacking = []
        if not self.has_ketua:
            lacking.append(_("a ketua (chair) appointed"))
        if not (self.sk_number and self.sk_date):
            lacking.append(_("its SK (decree) number and date recorded"))
        return lacking


# What an officer row needs, and no more of the person's data (no NIK, phone or address).
OFFICER_COLUMNS = [
    "region_id",
    "position",
    "starts_on",
    "ends_on",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__cadre_profile__full_name",
    "officer_field__field__name",
]


def _officer_rows(assignments: QuerySet[RoleAssignment]) -> QuerySet[RoleAssignment]:
    return (
        assignments.select_related("user__cadre_profile", "officer_field__field")
        .only(*OFFICER_COLUMNS)
        .order_by("starts_on", "pk")
    )


def officers_of(code: str) -> list[Officer]:
    """The current officers of the forum at `code`, in POSITION_ORDER. Read on each visit to
    the forum's manage page, through a statement kept per database and day: built and
    compiled each time (four tables joined), the query took 2.5 ms for a few rows, 0.55 ms
    this way."""
    kept = _officers_statement(RoleAssignment.objects.db, timezone.localdate())
    return _grouped_officers(statements.instances(kept, code)).get(code, [])


@lru_cache(maxsize=4)
def _officers_statement(alias: str, today: date) -> statements.ModelStatement:
    return statements.compiled_models(
        _officer_rows(
            current_officers(today).using(alias).filter(region_id=statements.TEXT_PLACEHOLDER)
        )
    )


def _grouped_officers(assignments: Iterable[RoleAssignment]) -> dict[str, list[Officer]]:
    """Officer rows (_officer_rows) grouped by region code, each region's in POSITION_ORDER."""
    grouped: dict[str, list[Officer]] = {}
    for assignment in assignments:
        try:
            field_name = assignment.officer_field.field.name
        except ObjectDoesNotExist:
            field_name = ""
        grouped.setdefault(assignment.region_id, []).append(
            Officer(
                name=display_name(assignment.user),
                position=assignment.position,
                position_label=str(Position(assignment.position).label),
                field=field_name,
                assignment_id=assignment.pk,
                starts_on=assignment.starts_on,
                ends_on=assignment.ends_on,
            )
        )
    for officers in grouped.values():
        officers.sort(key=lambda officer: POSITION_ORDER[officer.position])
    return grouped


def _rows(regions: Iterable[Any], officers: dict[str, list[Officer]]) -> list[ForumRow]:
    """ForumRows of regions annotated by with_forum_columns."""
    return [
        ForumRow(
            region=region,
            sk_number=region.sk_number or "",
            sk_date=region.sk_date,
            has_ketua=region.has_ketua,
            member_count=region.member_count,
            officers=officers.get(region.code, []),
            kelurahan_count=getattr(region, "kelurahan_count", 0),
            kelurahan_formed=getattr(region, "kelurahan_formed", 0),
        )
        for region in regions
    ]


def directory(kota_code: str) -> tuple[Region | None, list[ForumRow]]:
    """The kota and its kecamatan forums, in three queries whatever the numbers.

    Read on every visit to the public directory, and building these queries in the ORM
    (three levels of subqueries) took longer than running them: their SQL is kept per
    database and day (forkom.statements), and every visit reads the rows afresh."""
    kota_statement, kecamatan_statement, officers_statement = _directory_statements(
        Region.objects.all().db, timezone.localdate()
    )
    found = statements.instances(kota_statement, kota_code)
    if not found:
        return None, []
    kecamatan = statements.instances(kecamatan_statement, kota_code)
    officers = (
        _grouped_officers(statements.instances(officers_statement, kota_code)) if kecamatan else {}
    )
    return found[0], _rows(kecamatan, officers)


@lru_cache(maxsize=4)
def _directory_statements(alias: str, today: date) -> tuple[statements.ModelStatement, ...]:
    """The directory's three queries for a kota's code, compiled once per database and day:
    the kota, its active kecamatan with their forums' columns, their current officers."""
    kota = statements.TEXT_PLACEHOLDER
    kecamatan = Region.objects.using(alias).active().filter(parent_id=kota, level=KECAMATAN)
    return tuple(
        statements.compiled_models(queryset)
        for queryset in (
            Region.objects.using(alias).active().filter(code=kota).order_by(),
            _with_kelurahan_counts(with_forum_columns(kecamatan, today), today).order_by("name"),
            _officer_rows(
                current_officers(today)
                .using(alias)
                .filter(region__parent_id=kota, region__level=KECAMATAN, region__is_active=True)
            ),
        )
    )


def forum_page(code: str) -> tuple[ForumRow, list[ForumRow]]:
    """One forum for its public page: the row, its kelurahan rows (for a kecamatan).

    Its queries are kept per database and day, as the directory's (forkom.statements), with
    the forum's code as their one value; every visit reads the rows afresh."""
    region_statement, children_statement, officers_statement = _forum_page_statements(
        Region.objects.all().db, timezone.localdate()
    )
    found = statements.instances(region_statement, code)
    if not found:
        raise Http404
    region = found[0]
    children = []
    if region.level == KECAMATAN:
        children = statements.instances(children_statement, code)
    officers = _grouped_officers(statements.instances(officers_statement, code))
    return _rows([region], officers)[0], _rows(children, officers)


@lru_cache(maxsize=4)
def _forum_page_statements(alias: str, today: date) -> tuple[statements.ModelStatement, ...]:
    """A forum page's queries for its code: the forum's region, its active kelurahan (read
    for a kecamatan only) and the current officers of both."""
    code = statements.TEXT_PLACEHOLDER
    regions = Region.objects.using(alias)
    kelurahan = Q(parent_id=code, level=Region.Level.DESA_KELURAHAN, is_active=True)
    return tuple(
        statements.compiled_models(queryset)
        for queryset in (
            with_forum_columns(
                forum_regions().using(alias).select_related("parent").filter(code=code), today
            ).order_by(),
            with_forum_columns(regions.filter(kelurahan), today).order_by("name"),
            _officer_rows(
                current_officers(today)
                .using(alias)
                .filter(region_id__in=regions.filter(Q(code=code) | kelurahan).values("code"))
            ),
        )
    )


# --- the manage page ------------------------------------------------------------------------


def get_manageable_region_or_404(user: Viewer, code: str) -> Region:
    """The kecamatan or kelurahan whose forum `user` may manage; 404 for everyone else.

    The region is read by its code through the forum page's kept statement (with its
    forum's columns and parent), then checked with scope.can_act, region_q's twin: building
    and compiling the scoped queryset took about 1 ms of each manage page and action."""
    region_statement = _forum_page_statements(Region.objects.all().db, timezone.localdate())[0]
    region = statements.first(region_statement, code)
    if region is None or not scope.can_act(user, region.code, scope.OFFICERS_AND_ABOVE):
        raise Http404
    return region


def forum_for(region: Region) -> Forum:
    """The region's forum, or an unsaved one (services create it on the first change)."""
    return Forum.objects.filter(region=region).first() or Forum(region=region)


def members_of(region: Region) -> QuerySet[ForumMember, Any]:
    """The forum's members, as its manage page lists them: each a row of the four columns
    it shows (full_name, public_id, kelurahan_name, started_on). Fifty profiles a page were
    read whole, address and all; then as three model instances each (member, profile,
    kelurahan), 150 a page, for four values."""
    return (
        ForumMember.objects.current()
        .filter(forum_id=region.code)
        .annotate(
            full_name=F("profile__full_name"),
            public_id=F("profile__public_id"),
            kelurahan_name=F("profile__kelurahan__name"),
        )
        .order_by("profile__full_name", "pk")
        .values_list("full_name", "public_id", "kelurahan_name", "started_on", named=True)
    )


def member_candidates(region: Region) -> QuerySet[CadreProfile]:
    """Verified cadres of the area who are not current members yet."""
    current = ForumMember.objects.current().filter(forum_id=region.code, profile=OuterRef("pk"))
    return (
        area_cadres(region)
        .exclude(Exists(current))
        .select_related("kelurahan")
        .order_by("full_name", "pk")
    )


def appointment_candidates(region: Region) -> QuerySet[CadreProfile]:
    return area_cadres(region).select_related("kelurahan").order_by("full_name", "pk")


def candidates(region: Region) -> QuerySet[CadreProfile]:
    """The verified cadres of the area as the manage page's search lists them, each with
    whether they are a current member (`is_member`) and the position they hold in the
    forum (`forum_position`, None for none): one query, whatever the page shows."""
    member = ForumMember.objects.current().filter(forum_id=region.code, profile=OuterRef("pk"))
    position = current_officers().filter(region_id=region.code, user=OuterRef("user_id"))
    return (
        area_cadres(region)
        .annotate(
            is_member=Exists(member),
            forum_position=Subquery(position.order_by("pk").values("position")[:1]),
        )
        .select_related("kelurahan")
        # What a found row and the appoint form show: the profiles of a search were read
        # whole (address, phone, birth date) for a name, a masked NIK and a kelurahan.
        .only("full_name", "public_id", "nik", "kelurahan__name")
        .order_by("full_name", "pk")
    )


def candidate(region: Region, public_id: str) -> CadreProfile | None:
    """One of candidates() by the profile's public id; None for any other cadre or value."""
    try:
        key = UUID(public_id)
    except ValueError:
        return None
    return candidates(region).filter(public_id=key).first()


def first_found(
    found: QuerySet[CadreProfile], limit: int = SEARCH_LIMIT
) -> tuple[list[CadreProfile], bool]:
    """The first `limit` rows of a search over candidates(), each with the label of its
    `forum_position`, and whether more rows matched (one query: a row more is read)."""
    rows, more = first_rows(found, limit)
    for row in rows:
        # Read by the template beside the row's own columns (with the annotations of
        # candidates()).
        setattr(row, "position_label", _position_label(row.forum_position or ""))  # noqa: B010
    return rows, more


def current_officer_assignments(region: Region) -> QuerySet[RoleAssignment]:
    return current_officers().filter(region_id=region.code).select_related("user")


def timeline(region: Region) -> list[ForumEvent]:
    """The forum's latest events, newest first, with the names they mention."""
    events = statements.instances(_timeline_statement(ForumEvent.objects.db), region.code)
    for event in events:
        event.actor_name = _name_for_officers(event, "actor")
        # Read by the template beside the event's own columns.
        setattr(event, "subject_name", _name_for_officers(event, "subject"))  # noqa: B010
        setattr(event, "position_label", _position_label(event.after or event.before))  # noqa: B010
        if event.kind == ForumEvent.Kind.SK_RECORDED:
            setattr(event, "sk_before", sk_shown(event.before))  # noqa: B010
            setattr(event, "sk_after", sk_shown(event.after))  # noqa: B010
    return events


@lru_cache(maxsize=4)
def _timeline_statement(alias: str) -> statements.ModelStatement:
    """The timeline's query for a forum's code, kept per database. The two people an event
    mentions come as its columns (PERSON_COLUMNS), not as rows: with their accounts and
    profiles as instances, the fifty events made 250 and took 4.9-5.2 ms, now 1.8-2.0 ms
    with the query built and compiled once."""
    people = {
        f"{person}_{name}": F(f"{person}__{path}")
        for person in ("actor", "subject")
        for name, path in PERSON_COLUMNS
    }
    # The latest events first, then their people. PostgreSQL plans a kept statement for any
    # forum after its fifth run, expecting the average forum's handful of events: written as
    # one query, it joined the people of all of a busy forum's events and then kept the
    # latest fifty (the national seed's forum of 315 events: 3.8 ms, 1.3 ms planned for
    # that forum). The subquery's limit comes before the joins in either plan.
    latest = (
        ForumEvent.objects.using(alias)
        .filter(forum_id=statements.TEXT_PLACEHOLDER)
        .order_by("-at", "-pk")
        .values("pk")[:TIMELINE_LENGTH]
    )
    return statements.compiled_models(
        ForumEvent.objects.using(alias)
        .filter(pk__in=latest)
        .annotate(**people)
        .order_by("-at", "-pk")
    )


def _name_for_officers(event: ForumEvent, person: str) -> str:
    """display_name(..., public=False) of the person `event` mentions as `person` ("actor",
    "subject"), from the columns of _timeline_statement; "" for nobody."""
    if getattr(event, f"{person}_id") is None:
        return ""
    return name_for_officers(
        *(getattr(event, f"{person}_{name}") for name, _path in PERSON_COLUMNS)
    )


# How an event records an SK (services.record_sk): "188.4/12/FORKOM/2026 (2026-11-20)".
SK_TEXT = re.compile(r"(?P<number>.+) \((?P<date>\d{4}-\d{2}-\d{2})\)")


def sk_text(number: str, day: date | None) -> str:
    """An SK as its event records it (SK_TEXT), read back by sk_shown; "" when none."""
    return f"{number} ({day.isoformat()})" if number and day else ""


def sk_shown(text: str) -> str:
    """An SK as an event recorded it, as the page writes an SK: "188.4/12/FORKOM/2026, 20
    November 2026" (the date in the reader's language); other text as it is."""
    match = SK_TEXT.fullmatch(text or "")
    if match is None:
        return text
    try:
        day = date.fromisoformat(match["date"])
    except ValueError:
        return text
    return f"{match['number']}, {date_format(day, 'DATE_FORMAT')}"


def _position_label(value: str) -> str:
    return str(Position(value).label) if value in Position.values else value
