"""Who may call a meeting where, whom it invites by default, who may read it.

A forum's meeting is called by its own officers (held at the forum's region), the city's by
the Koordinator Kota (with the kecamatan forums' officers), the province's by Dinas staff
(with the coordinators of its kota). Invitees, the organiser and those who speak for the
region (officers above it, the coordinator, Dinas staff) read it; nobody else knows it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from cadres.forums.selectors import PERSON_COLUMNS, name_for_officers
from cadres.models import FollowUp, ForumMember, Meeting, MeetingInvitation
from forkom import scope, statements
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.scope import Viewer
from forkom.territory.codes import level_of, subtree_prefix
from forkom.territory.models import Region

Level = Region.Level
# Who calls a meeting at each level of region.
CALLERS: dict[int, set[Role]] = {
    Level.PROVINSI: {Role.DINAS_STAFF},
    Level.KABUPATEN_KOTA: {Role.CITY_COORDINATOR, Role.DINAS_STAFF},
    Level.KECAMATAN: {Role.FORUM_OFFICER},
    Level.DESA_KELURAHAN: {Role.FORUM_OFFICER},
}
READERS = scope.OFFICERS_AND_ABOVE
HELD_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    position: str


def may_organise(viewer: Viewer, code: str) -> bool:
    """A forum's officers call its meetings (at their own forum, not those below it); the
    coordinator and Dinas staff call the city's and the province's."""
    if getattr(viewer, "is_superuser", False) and viewer.is_active:
        return True
    level = level_of(code)
    if level is None:
        return False
    roles = CALLERS[level]
    for grant in scope.grants(viewer):
        if grant.role not in roles:
            continue
        if grant.role == Role.FORUM_OFFICER and grant.region_code == code:
            return True
        if grant.role != Role.FORUM_OFFICER and grant.covers(code):
            return True
    return False


def organisable_regions(viewer: Viewer) -> list[Region]:
    codes = sorted(
        {
            grant.region_code
            for grant in scope.grants(viewer)
            if may_organise(viewer, grant.region_code)
        }
    )
    # Each read by its code through a kept statement (an officer holds one or two): the
    # queryset by the list of codes, built and compiled each time, took 0.7 ms of the
    # meetings page.
    return [
        region for code in codes if (region := statements.one_by(Region, "code", code)) is not None
    ]


def candidates(region: Region) -> list[Candidate]:
    """Whom a meeting of `region` invites by default (the organiser may untick any)."""
    level = level_of(region.code)
    found: dict[int, Candidate] = {}

    def add(row: dict[str, Any], position: str) -> None:
        if row["active"] and row["user_id"] not in found:
            name = name_for_officers(*(row[column] for column, _path in PERSON_COLUMNS))
            found[row["user_id"]] = Candidate(row["user_id"], name, position)

    if level in (Level.KECAMATAN, Level.DESA_KELURAHAN):
        for row in (
            _officers().filter(role=Role.FORUM_OFFICER, region=region).order_by("position", "pk")
        ):
            add(row, str(Position(row["position"]).label))
        # A kelurahan forum has hundreds of members: their names as columns, not as three
        # instances each (member, profile, account). For the national seed's forum of 314
        # members the form took 28-37 ms with the instances, 16-18 ms with the columns.
        members = (
            ForumMember.objects.current()
            .filter(forum__region=region)
            .values(
                user_id=F("profile__user_id"),
                active=F("profile__user__is_active"),
                # The member's profile is the account's: its name without a second join.
                profile_name=F("profile__full_name"),
                first_name=F("profile__user__first_name"),
                last_name=F("profile__user__last_name"),
                email=F("profile__user__email"),
            )
        )
        member = str(FORUM_MEMBER)  # translated once, not once a member
        for row in members:
            add(row, member)
    elif level == Level.KABUPATEN_KOTA:
        for row in (
            _officers()
            .filter(
                role=Role.FORUM_OFFICER,
                region__code__startswith=subtree_prefix(region.code),
                region__level=Level.KECAMATAN,
            )
            .order_by("region_id", "position")
        ):
            add(row, f"{Position(row['position']).label}, {row['region_name']}")
    elif level == Level.PROVINSI:
        for row in (
            _officers()
            .filter(
                role=Role.CITY_COORDINATOR,
                region__code__startswith=subtree_prefix(region.code),
            )
            .order_by("region_id")
        ):
            add(row, f"{Role.CITY_COORDINATOR.label}, {row['region_name']}")
    return sorted(found.values(), key=lambda candidate: candidate.name.casefold())


def _officers() -> QuerySet[RoleAssignment, dict[str, Any]]:
    """Current role assignments as the columns candidates() reads: the account's id and
    whether it is active, the person's name columns (PERSON_COLUMNS), the position and the
    region's name."""
    return RoleAssignment.objects.current().values(
        "position",
        "user_id",
        active=F("user__is_active"),
        region_name=F("region__name"),
        **{name: F(f"user__{path}") for name, path in PERSON_COLUMNS},
    )


def readable(viewer: Viewer) -> QuerySet[Meeting]:
    if not getattr(viewer, "is_authenticated", False):
        return Meeting.objects.none()
    # One set of keys from three index scans. Written as one OR, PostgreSQL expected half of
    # the national seed's 8,692 meetings and joined them to all 91,599 regions by hash: a
    # kelurahan officer's list took 25 ms of the database for one meeting, 0.9 ms this way.
    invited = MeetingInvitation.objects.filter(user=viewer).order_by().values("meeting_id")
    organised = Meeting.objects.filter(organiser=viewer).order_by().values("pk")
    in_area = (
        Meeting.objects.filter(scope.region_q(viewer, "region__code", READERS))
        .order_by()
        .values("pk")
    )
    return Meeting.objects.filter(pk__in=invited.union(organised, in_area))


def may_read(viewer: Viewer, meeting: Meeting) -> bool:
    """Whether `meeting` is among readable(viewer), for a meeting already read: the same
    three ways in, its organiser, those who read its region (scope.can_act, region_q's
    twin), its invitees (their invitation read last, and kept for the page)."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return (
        meeting.organiser_id == viewer.pk
        or scope.can_act(viewer, meeting.region_id, READERS)
        or invitation_of(viewer, meeting) is not None
    )


def get_readable_or_404(viewer: Viewer, public_id: UUID) -> Meeting:
    """The meeting of `public_id` with its region, read by its key through a statement
    compiled once, if the viewer may read it (may_read); else, as for a key no meeting has,
    Http404. Building and compiling readable(viewer) for it took half of the meeting page's
    own time."""
    meeting = statements.one_by(Meeting, "public_id", public_id, "region")
    if meeting is None or not may_read(viewer, meeting):
        raise Http404
    return meeting


def may_manage(viewer: Viewer, meeting: Meeting) -> bool:
    """Record attendance and minutes, publish them: the organiser or a fellow caller."""
    return meeting.organiser_id == getattr(viewer, "pk", None) or may_organise(
        viewer, meeting.region_id
    )


def invitation_of(viewer: Viewer, meeting: Meeting) -> MeetingInvitation | None:
    """The viewer's invitation to the meeting, if any. Read once for this meeting as read
    for the request: may_read asks it to let an invitee in, the meeting's page to show
    their answer."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    read = meeting.__dict__.setdefault("_invitations_read", {})
    if viewer.pk not in read:
        # By its key of two columns (meetinginvitation_once), through a kept statement:
        # building the queryset took most of the half millisecond it cost.
        read[viewer.pk] = statements.one_by(
            MeetingInvitation, "meeting_id", meeting.pk, second=("user_id", viewer.pk)
        )
    return read[viewer.pk]


def follow_ups_due(viewer: Viewer) -> list[FollowUp]:
    """The open follow-ups the person is responsible for, of published minutes, soonest
    first: each with its text, due date and meeting's address (the home page's list)."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return statements.instances(_follow_ups_statement(FollowUp.objects.db), viewer.pk)


@cache
def _follow_ups_statement(alias: str) -> statements.ModelStatement:
    # Read on each visit to a person's home page (`/`): kept per database, as to_answer's.
    return statements.compiled_models(
        FollowUp.objects.using(alias)
        .filter(
            responsible__user_id=statements.PLACEHOLDER,
            done_at__isnull=True,
            meeting__state=Meeting.State.PUBLISHED,
        )
        .select_related("meeting")
        .only("text", "due_on", "meeting", "meeting__public_id")
        .order_by("due_on", "pk")[:20]
    )


def to_answer(viewer: Viewer, now: datetime | None = None) -> list[MeetingInvitation]:
    """The person's invitations to coming meetings that they have not answered: each with
    its meeting's title, start and address (the home page's list)."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    kept = _to_answer_statement(MeetingInvitation.objects.db)
    return statements.instances(kept, viewer.pk, now or timezone.now())


@cache
def _to_answer_statement(alias: str) -> statements.ModelStatement:
    # Read on each visit to a person's home page (`/`), the first page after signing in:
    # kept per database (forkom.statements), read afresh with the person and the moment.
    return statements.compiled_models(
        MeetingInvitation.objects.using(alias)
        .filter(
            user_id=statements.PLACEHOLDER,
            answer="",
            meeting__state=Meeting.State.SCHEDULED,
            meeting__starts_at__gt=statements.MOMENT_PLACEHOLDER,
        )
        .select_related("meeting")
        .only("meeting", "meeting__public_id", "meeting__title", "meeting__starts_at")
        .order_by("meeting__starts_at")[:5]
    )


def last_meeting(code: str) -> Meeting | None:
    """The forum's last meeting held (for its public page: date and title only), read
    through a statement compiled once (forkom.statements): the forum's public page is a
    visitor's, and building the queryset took longer than running it."""
    return statements.first(_last_meeting_statement(Meeting.objects.db), code)


@cache
def _last_meeting_statement(alias: str) -> statements.ModelStatement:
    return statements.compiled_models(
        Meeting.objects.using(alias)
        .filter(
            region_id=statements.TEXT_PLACEHOLDER,
            state__in=[Meeting.State.HELD, Meeting.State.PUBLISHED],
        )
        .order_by("-starts_at")
        .only("title", "starts_at", "region_id")[:1]
    )


def held_recently(codes: list[str], now: datetime | None = None) -> dict[str, int]:
    """How many meetings each region's forum held in the last 90 days."""
    now = now or timezone.now()
    return held_between(codes, now - HELD_WITHIN, now)


def held_between(codes: list[str], since: datetime, until: datetime) -> dict[str, int]:
    """How many meetings each region's forum held that started from `since` to before
    `until`."""
    rows = (
        Meeting.objects.filter(
            region_id__in=codes,
            state__in=[Meeting.State.HELD, Meeting.State.PUBLISHED],
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .values("region_id")
        .annotate(count=Count("pk"))
    )
    return {row["region_id"]: row["count"] for row in rows}


# What an invitation's position and a meeting's organiser start with, as stored: a label in
# the language of whoever called the meeting ("Ketua", "Sekretaris, Forkom KPM Belimbing").
FORUM_MEMBER = gettext_lazy("Forum member")


@cache
def _stored_labels() -> dict[str, object]:
    """Every language's text of each label a position or organiser is stored with, to the
    label itself (translated when shown)."""
    labels = [*Position.labels, *Role.labels, FORUM_MEMBER]
    found: dict[str, object] = {}
    for language, _name in settings.LANGUAGES:
        with override(language):
            for label in labels:
                found.setdefault(str(label), label)
    return found


def in_language(text: str) -> str:
    """A stored position or organiser ("Sekretaris, Forkom KPM Belimbing") in the reader's
    language: its label is the position's (or role's) label in the active language, the
    place after the comma stays as it is. Text of no known label is shown as stored."""
    head, comma, rest = text.partition(", ")
    label = _stored_labels().get(head)
    return f"{label}{comma}{rest}" if label is not None else text


def invitations_shown(meeting: Meeting) -> list[MeetingInvitation]:
    """The meeting's invitations with their positions in the reader's language."""
    invitations = statements.related(meeting.invitations)
    for invitation in invitations:
        invitation.position = in_language(invitation.position)
    return invitations
