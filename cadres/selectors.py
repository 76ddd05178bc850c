"""Reads about cadres that several views share; each takes the viewer and scopes itself."""

import functools
from collections.abc import Iterable
from typing import Any, NamedTuple
from uuid import UUID

from allauth.account.models import EmailAddress
from django.db import connection, connections
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from cadres.consent import CONSENT_VERSION
from cadres.forums.selectors import display_name, person_name
from cadres.models import (
    AreaBodyCount,
    AreaStatusCount,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    Field,
    Topic,
)
from forkom import scope, statements
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.accounts.selectors import has_totp
from forkom.scope import Viewer
from forkom.territory.codes import level_of, parent_of
from forkom.territory.models import Region

# What a row of the cadre list shows (templates/cadres/list.html): the name and its link, the
# masked NIK, the kelurahan and its kecamatan, the status. Not the address, the phone or the
# account (its password hash included), which the rows read before without showing them.
LISTED_COLUMNS = (
    "public_id",
    "full_name",
    "nik",
    "status",
    "kelurahan__name",
    "kelurahan__parent__name",
)


def cadres_for(user: Viewer) -> QuerySet[CadreProfile]:
    """The cadres whose kelurahan lies in the user's area, with what a list shows (only its
    columns: LISTED_COLUMNS)."""
    queryset = CadreProfile.objects.select_related("kelurahan__parent").only(*LISTED_COLUMNS)
    return scope.scoped(queryset, user, "kelurahan__code", scope.OFFICERS_AND_ABOVE)


def cadre_count(user: Viewer) -> int:
    """How many cadres `cadres_for(user)` lists, summed from the kept counts per kelurahan
    and status (AreaStatusCount, which triggers keep in the writers' transactions) instead
    of counting the area's profiles: a kota's 9,323 cadres, 2.4 ms of PostgreSQL, became
    0.07 ms."""
    counts = scope.scoped(
        AreaStatusCount.objects.all(), user, "kelurahan__code", scope.OFFICERS_AND_ABOVE
    )
    return counts.aggregate(cadres=Coalesce(Sum("cadres"), 0))["cadres"]


def cadre_keys_by_name(user: Viewer, window: slice) -> list[int] | None:
    """The keys of `cadres_for(user)` in `window` of its order (name, then key), read one
    region at a time and merged; None where that does not pay (see below).

    Sorting a kota's 9,323 names to keep 25 took 5.7 ms of PostgreSQL. Here each region in
    reach gives its first `window.stop` names from the area-and-name index, in order, and
    only those are sorted: 19 regions of Kota Bontang, 375 entries, 0.55 ms. The rows are the
    same: the first n of the area are among the first n of their own kelurahan.

    Only on PostgreSQL (SQLite has no LATERAL) and for a viewer who holds roles at kota
    level or below: a province has a thousand regions or more (Jawa's, 27,542), and one
    scan each cost more than the sort they spare.
    """
    codes = scope.region_codes(user, scope.OFFICERS_AND_ABOVE)
    regions = Region.objects.filter(scope.region_q(user, "code", scope.OFFICERS_AND_ABOVE))
    db = regions.db
    if (
        connections[db].vendor != "postgresql"
        or getattr(user, "is_superuser", False)
        or not codes
        or any((level_of(code) or 0) < Region.Level.KABUPATEN_KOTA for code in codes)
    ):
        return None
    regions_sql, params = regions.order_by().values("code").query.sql_with_params()
    profiles = CadreProfile._meta.db_table
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT first.id FROM ({regions_sql}) AS region CROSS JOIN LATERAL (
                SELECT id, full_name FROM {profiles} WHERE kelurahan_id = region.code
                ORDER BY full_name, id LIMIT %s
            ) AS first
            ORDER BY first.full_name, first.id LIMIT %s OFFSET %s
            """,
            [*params, window.stop, window.stop - window.start, window.start],
        )
        return [key for (key,) in cursor.fetchall()]


def waiting_for_verification(user: Viewer) -> QuerySet[CadreProfile]:
    """The cadres who wait for `user` (a forum officer or Dinas staff) to verify them,
    oldest first: the longest wait is at the top."""
    return scope.scoped(
        CadreProfile.objects.filter(status=CadreProfile.Status.WAITING),
        user,
        "kelurahan__code",
        scope.OFFICERS_AND_STAFF,
    ).order_by("created_at", "pk")


# Per viewer (forkom.scope.viewer_key) and database; statements.PER_VIEWER at most.
_first_waiting: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def first_waiting(user: Viewer, limit: int) -> tuple[list[CadreProfile], int]:
    """The first `limit` cadres of waiting_for_verification(user), with the columns a home
    page lists (name, kelurahan, since when; not their NIK, address or phone), and how many
    wait in all: one statement kept per viewer (forkom.statements.first_and_count)."""
    return statements.first_and_count(
        _first_waiting,
        (CadreProfile.objects.db, scope.viewer_key(user)),
        lambda: (
            waiting_for_verification(user)
            .select_related("kelurahan")
            .only("public_id", "full_name", "created_at", "kelurahan", "kelurahan__name")
        ),
        limit,
    )


# Per viewer and database, as _first_waiting.
_first_deletion_requests: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def first_deletion_requests(user: Viewer, limit: int) -> tuple[list[DeletionRequest], int]:
    """The first `limit` open requests to delete personal data in the area of `user` (Dinas
    staff), the oldest first, with when and where they were made (not who asks or why), and
    how many are open in all: one statement kept per viewer."""
    return statements.first_and_count(
        _first_deletion_requests,
        (DeletionRequest.objects.db, scope.viewer_key(user)),
        lambda: (
            scope.scoped(
                DeletionRequest.objects.filter(status=DeletionRequest.Status.OPEN),
                user,
                "kelurahan__code",
                scope.STAFF,
            )
            .select_related("kelurahan")
            .only("requested_at", "kelurahan", "kelurahan__name")
            .order_by("requested_at", "pk")
        ),
        limit,
    )


def get_cadre_or_404(user: Viewer, public_id: UUID) -> CadreProfile:
    """The cadre `public_id` (of the URL) if their kelurahan lies in `user`'s area, as
    cadres_for lists them; 404 for everyone else.

    The row is read by its key through a statement compiled once per database, then the
    scope is checked on it by scope.can_act, the rule cadres_for writes as a condition (a
    scoped queryset compiled for each viewer took a quarter of the cadre's page)."""
    found = statements.one_by(
        CadreProfile,
        "public_id",
        public_id,
        "kelurahan",
        "kelurahan__parent",
        "user",
        "registered_by__cadre_profile",
    )
    if found is None or not scope.can_act(user, found.kelurahan_id, scope.OFFICERS_AND_ABOVE):
        raise Http404
    return found


def history(profile: CadreProfile) -> list[CadreEvent]:
    """The profile's events, each with `actor_name`: a cadre by their name, never their email
    (an official without any name recorded by their email, as on the forum pages)."""
    events = statements.related(profile.events, "actor__cadre_profile")
    for event in events:
        event.actor_name = (
            (display_name(event.actor, public=False) or "") if event.actor_id else ""
        )
    return events


def kelurahan_with_formed_forum(codes: Iterable[str]) -> set[str]:
    """Which of these kelurahan have a formed forum: a current ketua and a recorded SK."""
    return set(
        RoleAssignment.objects.current()
        .filter(
            role=Role.FORUM_OFFICER,
            position=Position.KETUA,
            region_id__in=set(codes),
            region__forum__sk_date__isnull=False,
        )
        .values_list("region_id", flat=True)
    )


def _officer_at(user: Viewer) -> set[str]:
    """Where `user` serves a forum (kelurahan or kecamatan), by region code."""
    return {grant.region_code for grant in scope.grants(user) if grant.role == Role.FORUM_OFFICER}


def decidable_kelurahan(user: Viewer, codes: Iterable[str]) -> set[str]:
    """The kelurahan among `codes` whose cadres `user` may verify or reject (may_decide for
    each), asking which have a formed forum only of those where that decides: a kelurahan
    under a kecamatan whose forum the user serves, not their own. A list asked it of every
    page's kelurahan, also for a coordinator, who decides none."""
    codes = set(codes)
    officer_at = _officer_at(user)
    unsure = {code for code in codes if code not in officer_at and parent_of(code) in officer_at}
    formed = kelurahan_with_formed_forum(unsure) if unsure else set()
    return {code for code in codes if may_decide(user, code, code in formed)}


def may_decide(
    user: Viewer, kelurahan_code: str, kelurahan_forum_formed: bool | None = None
) -> bool:
    """Whether `user` may verify or reject cadres of the kelurahan.

    Dinas staff over the area may; so may an officer of the kelurahan forum, and,
    while the kelurahan has no formed forum yet, officers of its kecamatan forum.
    `kelurahan_forum_formed` saves the query when a list already knows the answer.
    """
    if scope.can_act(user, kelurahan_code, scope.STAFF):
        return True
    officer_at = _officer_at(user)
    if kelurahan_code in officer_at:
        return True
    if parent_of(kelurahan_code) not in officer_at:
        return False
    if kelurahan_forum_formed is None:
        kelurahan_forum_formed = bool(kelurahan_with_formed_forum([kelurahan_code]))
    return not kelurahan_forum_formed


def has_current_consent(user: Viewer) -> bool:
    return bool(statements.rows(_consent_statements(ConsentRecord.objects.db).current, user.pk))


def has_consent_to_withdraw(user: Viewer) -> bool:
    """Any agreement not withdrawn, to this text or an earlier one."""
    return bool(statements.rows(_consent_statements(ConsentRecord.objects.db).standing, user.pk))


class _ConsentStatements(NamedTuple):
    current: statements.Statement  # an agreement to the current text, not withdrawn
    standing: statements.Statement  # an agreement to any text, not withdrawn


@functools.cache
def _consent_statements(alias: str) -> _ConsentStatements:
    # Asked on the cadre's pages and before their writes (Data saya, the profile's forms, the
    # consent itself): compiled once per database (forkom.statements), read afresh.
    records = ConsentRecord.objects.using(alias).filter(user_id=statements.PLACEHOLDER)
    return _ConsentStatements(
        current=statements.compiled(records.current(CONSENT_VERSION).values("pk")[:1]),
        standing=statements.compiled(records.filter(withdrawn_at__isnull=True).values("pk")[:1]),
    )


def withdrew_consent(user: Viewer) -> bool:
    """The person agreed once and has withdrawn every consent since."""
    return ConsentRecord.objects.filter(user=user).exists() and not has_consent_to_withdraw(user)


def sees_contact_details(user: Viewer, profile: CadreProfile) -> bool:
    """Who sees a cadre's birth date, phone and address besides the cadre: their forum
    officers and Dinas staff. The Koordinator Kota reads the kota's cadres to review the
    forums and needs no way to reach or locate them (the consent statement does not name
    them either)."""
    return profile.user_id == user.pk or scope.can_act(
        user, profile.kelurahan_id, scope.OFFICERS_AND_STAFF
    )


def sees_full_nik(user: Viewer, profile: CadreProfile) -> bool:
    """The cadre themself and Dinas staff over their area see the whole NIK; others a mask.
    Staff only once they have turned on two-factor authentication."""
    if profile.user_id == user.pk:
        return True
    return scope.can_act(user, profile.kelurahan_id, scope.STAFF) and has_totp(user)


def nik_needs_second_factor(user: Viewer, profile: CadreProfile) -> bool:
    """Staff who would see the whole NIK once they turn on two-factor authentication."""
    return (
        profile.user_id != user.pk
        and scope.can_act(user, profile.kelurahan_id, scope.STAFF)
        and not has_totp(user)
    )


def colleagues(profile: CadreProfile) -> QuerySet[CadreProfile]:
    """The verified cadres of `profile`'s kecamatan besides them, by name: who may join their
    proposal's team or stand behind their innovation."""
    return (
        CadreProfile.objects.filter(
            status=CadreProfile.Status.VERIFIED,
            kelurahan__parent_id=profile.kelurahan.parent_id,
        )
        .exclude(pk=profile.pk)
        .select_related("kelurahan")
        .order_by("full_name", "pk")
    )


def name_and_kelurahan(profile: CadreProfile) -> str:
    """How a cadre is told apart in a list of choices."""
    return f"{profile.full_name} ({profile.kelurahan.name})"


def own_profile(user: Viewer) -> CadreProfile | None:
    """The signed-in person's own cadre profile with its kelurahan and kecamatan, or None.

    The one way to ask "my cadre profile". Read once per request and kept on the user object;
    an absent profile is not kept, so a profile created later in the request is found.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "_forkom_own_profile", None)
    if profile is None:
        profile = _own_profile(user, consent=False)
        user._forkom_own_profile = profile
    return profile


def own_profile_and_consent(user: Viewer) -> tuple[CadreProfile | None, bool]:
    """own_profile, and whether the person agrees to the current consent text
    (has_current_consent): one query for both when they have a profile, as the cadre's own
    page asks."""
    profile = _own_profile(user, consent=True)
    if profile is None:
        return None, has_current_consent(user)
    user._forkom_own_profile = profile
    return profile, profile.consents  # type: ignore[attr-defined]  # annotated in the query


def _own_profile(user: Viewer, *, consent: bool) -> CadreProfile | None:
    # Asked on most pages of a cadre: compiled once per database (forkom.statements), read
    # afresh every time. A person has at most one profile (unique user).
    return statements.first(
        _own_profile_statement(CadreProfile.objects.all().db, consent), user.pk
    )


@functools.cache
def _own_profile_statement(alias: str, consent: bool) -> statements.ModelStatement:
    queryset = (
        CadreProfile.objects.using(alias)
        .select_related("kelurahan", "kelurahan__parent")
        .filter(user_id=statements.PLACEHOLDER)
        .order_by()
    )
    if consent:
        current = ConsentRecord.objects.current(CONSENT_VERSION)
        queryset = queryset.annotate(consents=Exists(current.filter(user_id=OuterRef("user_id"))))
    return statements.compiled_models(queryset)


class ProfileLists(NamedTuple):
    """What a cadre's profile lists besides its own columns (cadres/_profile.html)."""

    memberships: list[CadreMembership]  # with their body, in the bodies' order
    fields: list[Field]
    training_needs: list[Topic]


def profile_lists(profile: CadreProfile) -> ProfileLists:
    """The profile's bodies, fields of work and training needs: three statements compiled
    once per database (forkom.statements), read afresh, for the pages that show a profile."""
    return ProfileLists(
        *(
            statements.instances(statement, profile.pk)
            for statement in _profile_list_statements(CadreProfile.objects.all().db)
        )
    )


@functools.cache
def _profile_list_statements(alias: str) -> tuple[statements.ModelStatement, ...]:
    return tuple(
        statements.compiled_models(queryset)
        for queryset in (
            CadreMembership.objects.using(alias)
            .filter(profile_id=statements.PLACEHOLDER)
            .select_related("body"),
            Field.objects.using(alias).filter(cadreprofile=statements.PLACEHOLDER),
            Topic.objects.using(alias).filter(cadreprofile=statements.PLACEHOLDER),
        )
    )


def can_be_corrected(profile: CadreProfile) -> bool:
    """The cadre corrects their profile while it waits for verification or is verified."""
    return profile.status in {CadreProfile.Status.WAITING, CadreProfile.Status.VERIFIED}


def open_deletion_request(user: Viewer) -> DeletionRequest | None:
    return statements.first(_open_deletion_statement(DeletionRequest.objects.db), user.pk)


@functools.cache
def _open_deletion_statement(alias: str) -> statements.ModelStatement:
    # Data saya asks on every visit: compiled once per database (forkom.statements).
    return statements.compiled_models(
        DeletionRequest.objects.using(alias)
        .filter(user_id=statements.PLACEHOLDER, status=DeletionRequest.Status.OPEN)
        .order_by("pk")[:1]
    )


def may_register_assisted(user: Viewer) -> bool:
    """Forum officers and Dinas staff register cadres without an email, within their area."""
    return bool(scope.region_codes(user, scope.OFFICERS_AND_STAFF)) or (
        user.is_superuser and user.is_active
    )


def may_add_claim_email(user: Viewer, profile: CadreProfile) -> bool:
    """Whether `user` may give the email of this cadre, who has not claimed the account yet."""
    account = profile.user
    return (
        account.is_active
        and not account.has_usable_password()
        and scope.can_act(user, profile.kelurahan_id, scope.OFFICERS_AND_STAFF)
        and is_plain_cadre(account)
    )


def has_verified_email(account: Any) -> bool:
    """Whether the account has a confirmed email address (it then resets its password by
    email, never with an officer's activation code)."""
    return EmailAddress.objects.filter(user=account, verified=True).exists()


def may_issue_activation_code(user: Viewer, profile: CadreProfile) -> bool:
    """Whether `user` may hand this cadre a sign-in code: an officer or staff member of the
    cadre's area, for an open plain cadre account without a confirmed email address."""
    account = profile.user
    return (
        account.is_active
        and scope.can_act(user, profile.kelurahan_id, scope.OFFICERS_AND_STAFF)
        and is_plain_cadre(account)
        and not has_verified_email(account)
    )


def is_plain_cadre(account: Any) -> bool:
    """The account holds no role but the cadre's, now or dated to start later."""
    return not (
        RoleAssignment.objects.holding().filter(user=account).exclude(role=Role.CADRE).exists()
    )


class CountMismatch(NamedTuple):
    """A count of AreaStatusCount (`status` set) or AreaBodyCount (`body_id` set) that
    differs from a recount of the profiles and memberships; a missing row counts as 0."""

    kelurahan_id: str
    status: str | None
    body_id: int | None
    stored: int
    counted: int


def area_count_mismatches() -> list[CountMismatch]:
    """Every stored count that disagrees with a recount, one statement (one snapshot) per
    table."""
    profiles = CadreProfile._meta.db_table
    memberships = CadreMembership._meta.db_table
    by_status = _stored_beside_counted(
        AreaStatusCount._meta.db_table,
        "status",
        f"SELECT kelurahan_id, status, 0, COUNT(*) FROM {profiles} GROUP BY kelurahan_id, status",
        [],
    )
    by_body = _stored_beside_counted(
        AreaBodyCount._meta.db_table,
        "body_id",
        f"""
        SELECT p.kelurahan_id, m.body_id, 0, COUNT(*)
        FROM {memberships} m JOIN {profiles} p ON p.id = m.profile_id
        WHERE p.status = %s GROUP BY p.kelurahan_id, m.body_id
        """,
        [CadreProfile.Status.VERIFIED],
    )
    return [
        CountMismatch(kelurahan, status, None, stored, counted)
        for kelurahan, status, stored, counted in by_status
    ] + [
        CountMismatch(kelurahan, None, body_id, stored, counted)
        for kelurahan, body_id, stored, counted in by_body
    ]


def _stored_beside_counted(
    table: str, key: str, recount: str, params: list[Any]
) -> list[tuple[Any, ...]]:
    """(kelurahan, key, stored, counted) wherever the count table's rows and the recount,
    side by side and summed per key, differ; `recount` selects (kelurahan, key, 0, count)."""
    sql = f"""
        SELECT kelurahan_id, {key}, SUM(stored), SUM(counted) FROM (
            SELECT kelurahan_id, {key}, cadres AS stored, 0 AS counted FROM {table}
            UNION ALL
            {recount}
        ) AS side_by_side
        GROUP BY kelurahan_id, {key} HAVING SUM(stored) <> SUM(counted)
        ORDER BY kelurahan_id, {key}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def account_display(user: Any) -> str:
    """How allauth names a person ("Berhasil masuk sebagai …", settings.ACCOUNT_USER_DISPLAY):
    their name (person_name: a cadre registered by an officer or imported has only the one on
    their profile, and no email address), else their email address. Never the account's
    number ("#54")."""
    return person_name(user) or user.email or str(user)
