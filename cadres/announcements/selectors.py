"""Who an announcement reaches and who may read it.

An announcement addressed to a region reaches that region and everything under it. The two
questions are answered by the same rules: `recipients` (the users whose inbox gets it, a
query the delivery writes from in one statement) and `readable` (the announcements a viewer
may open). A cadres-only announcement is readable by its recipients and by those who speak
for its region, never by other areas or anonymous visitors.
"""

from collections.abc import Sequence
from functools import lru_cache
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cadres.models import Announcement, CadreMembership, CadreProfile
from cadres.selectors import own_profile
from forkom import scope, statements
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.scope import Viewer
from forkom.territory.codes import level_of, lineage, subtree_prefix
from forkom.territory.models import Region

# The cadres an announcement reaches: not those refused or withdrawn.
REACHED = (CadreProfile.Status.VERIFIED, CadreProfile.Status.WAITING)
# Those who speak for an area: write to it, and read all that is addressed inside it.
SPEAKERS = scope.OFFICERS_AND_ABOVE


def in_subtree(path: str, code: str) -> Q:
    return Q(**{path: code}) | Q(**{f"{path}__startswith": subtree_prefix(code)})


def recipients(announcement: Announcement) -> QuerySet[User]:
    """The users whose inbox gets the announcement (a query: tens of thousands of rows stay
    in the database)."""
    code = announcement.region_id
    users = User.objects.filter(is_active=True)
    if announcement.officers_only:
        users = users.filter(
            Exists(
                RoleAssignment.objects.current().filter(
                    in_subtree("region__code", code), user=OuterRef("pk"), role=Role.FORUM_OFFICER
                )
            )
        )
    else:
        users = users.filter(
            Exists(
                CadreProfile.objects.filter(
                    in_subtree("kelurahan__code", code), user=OuterRef("pk"), status__in=REACHED
                )
            )
        )
    body_ids = list(announcement.bodies.values_list("pk", flat=True))
    if body_ids:
        users = users.filter(
            Exists(CadreMembership.objects.filter(profile__user=OuterRef("pk"), body__in=body_ids))
        )
    return users


def _reader(viewer: Viewer) -> tuple[CadreProfile | None, tuple[int, ...]]:
    """What readable(viewer) reads of the viewer's cadre profile: the profile (its status
    and kelurahan) and the bodies they are a member of."""
    profile = own_profile(viewer)
    if profile is None:
        return None, ()
    return profile, tuple(profile.memberships.values_list("body_id", flat=True))


def _addressed_to(viewer: Viewer, profile: CadreProfile | None, body_ids: Sequence[int]) -> Q:
    """The cadres-only announcements whose recipients include `viewer`, as a condition
    (the same rules as `recipients`, read from the viewer's side)."""
    condition = Q(pk__in=[])
    bodies = (
        Q(bodies__isnull=True) | Q(bodies__in=body_ids) if body_ids else Q(bodies__isnull=True)
    )
    if profile is not None and profile.status in REACHED:
        condition |= Q(officers_only=False, region_id__in=lineage(profile.kelurahan_id)) & Q(
            pk__in=Announcement.objects.filter(bodies).values("pk")
        )
    officer_codes = scope.region_codes(viewer, [Role.FORUM_OFFICER])
    if officer_codes:
        above = {code for own in officer_codes for code in lineage(own)}
        condition |= Q(officers_only=True, region_id__in=sorted(above)) & Q(
            pk__in=Announcement.objects.filter(bodies).values("pk")
        )
    return condition


def readable(viewer: Viewer) -> QuerySet[Announcement]:
    """Every announcement the viewer may open, whatever its state (the views narrow)."""
    return _readable(viewer, *_reader(viewer))


def _readable(
    viewer: Viewer, profile: CadreProfile | None, body_ids: Sequence[int]
) -> QuerySet[Announcement]:
    condition = Q(audience=Announcement.Audience.PUBLIC, state=Announcement.State.PUBLISHED)
    if getattr(viewer, "is_authenticated", False):
        condition |= Q(author=viewer)
        condition |= Q(scope.region_q(viewer, "region__code", SPEAKERS))
        condition |= Q(state__in=[Announcement.State.PUBLISHED, Announcement.State.WITHDRAWN]) & (
            _addressed_to(viewer, profile, body_ids)
        )
    return Announcement.objects.filter(condition)


def may_read(viewer: Viewer, announcement: Announcement) -> bool:
    """Whether the announcement is among readable(viewer), for one already read: a public
    one once published; else its author, those who speak for its region (Grant.covers,
    region_q's twin) and, published or withdrawn, its recipients (`recipients`, the rule
    the delivery writes from: one query, asked last)."""
    if (
        announcement.audience == Announcement.Audience.PUBLIC
        and announcement.state == Announcement.State.PUBLISHED
    ):
        return True
    if not getattr(viewer, "is_authenticated", False):
        return False
    # Their grants, as region_q reads them. A superuser gets no condition from region_q,
    # which OR-ed into readable's adds nothing: on the site they read as their roles say
    # (the admin shows them every announcement).
    speaks_for = any(
        grant.role in SPEAKERS and grant.covers(announcement.region_id)
        for grant in scope.grants(viewer)
    )
    if announcement.author_id == viewer.pk or speaks_for:
        return True
    return (
        announcement.state in (Announcement.State.PUBLISHED, Announcement.State.WITHDRAWN)
        and recipients(announcement).filter(pk=viewer.pk).exists()
    )


def get_readable_or_404(viewer: Viewer, public_id: UUID) -> Announcement:
    """The announcement of `public_id` with its region, read by its key through a statement
    compiled once, if the viewer may read it (may_read); else, as for a key no announcement
    has, Http404. Building and compiling readable(viewer) for it took two thirds of the
    announcement page's own time."""
    announcement = statements.one_by(Announcement, "public_id", public_id, "region")
    if announcement is None or not may_read(viewer, announcement):
        raise Http404
    return announcement


# Newest first, pinned above the rest: the order of the list and of its keys.
LISTED_ORDER = ("-pinned", "-published_at", "-pk")
# What a list item shows (cadres.templatetags.announcements.announcement_items): not the text.
LISTED_COLUMNS = (
    "public_id",
    "region__code",
    "region__name",
    "audience",
    "title",
    "pinned",
    "signed_as",
    "published_at",
    "edited_at",
)


def published_keys(viewer: Viewer) -> QuerySet[Announcement, int]:
    """The keys of the published announcements the viewer may read, pinned first, newest
    first. Slice it (a page), then read the rows with listed_rows."""
    return _published_keys(readable(viewer))


def _published_keys(readable: QuerySet[Announcement]) -> QuerySet[Announcement, int]:
    return (
        readable.filter(state=Announcement.State.PUBLISHED)
        .order_by(*LISTED_ORDER)
        .values_list("pk", flat=True)
    )


def listed_rows(keys: QuerySet[Announcement, int]) -> QuerySet[Announcement]:
    """The announcements of `keys` (a slice of published_keys), in its order, with their
    regions, in one query: the keys are a subquery. Joined to their regions before the
    slice, a list of every public announcement had PostgreSQL hash all 91,599 regions
    (3 ms a page); picked first, the page joins its twenty (docs/performance.md)."""
    return (
        Announcement.objects.filter(pk__in=keys)
        .select_related("region")
        .only(*LISTED_COLUMNS)
        .order_by(*LISTED_ORDER)
    )


# The list's first page of each reader (published_first_page's key), with its count.
_first_published: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def published_first_page(viewer: Viewer, size: int) -> tuple[list[Announcement], int]:
    """The first `size` rows of listed_rows(published_keys(viewer)) and how many the viewer
    may read in all, as the menu opens the list: one statement kept per reader, its rows read
    afresh. Its key is everything readable(viewer) is made of: the viewer's (the id, the
    current grants: forkom.scope.viewer_key) and their cadre profile's (its status and
    kelurahan, their bodies); a change to any compiles a new statement. Building readable
    and compiling the count and the page took 4 ms a visit, more than they ran."""
    profile, body_ids = _reader(viewer)
    key = (
        Announcement.objects.db,
        scope.viewer_key(viewer),  # its id (None signed out) and grants
        None if profile is None else (profile.pk, profile.status, profile.kelurahan_id),
        body_ids,
        size,
    )

    def published() -> QuerySet[Announcement, int]:
        return _published_keys(_readable(viewer, profile, body_ids))

    return statements.page_and_count(
        _first_published, key, lambda: listed_rows(published()[:size]), published
    )


def public_about(code: str, limit: int = 5, *, with_text: bool = False) -> list[Announcement]:
    """The public announcements that concern a region: addressed to it, above it or below
    it; pinned first, newest first; with the columns their items show (LISTED_COLUMNS), and
    their text `with_text` (the feed)."""
    kept = _public_about_statement(Announcement.objects.db, code, limit, with_text)
    return statements.instances(kept, None)


@lru_cache(maxsize=256)
def _public_about_statement(
    alias: str, code: str, limit: int, with_text: bool
) -> statements.ModelStatement:
    """public_about's query for one region and length, kept per database: the home page and
    every forum's page read it on each visit, and building and compiling it took 1.5 of its
    2.4 ms. The region's ancestors and subtree are written into it (a fixed statement): they
    are not one value to put in."""
    return statements.compiled_models(
        Announcement.objects.using(alias)
        .filter(
            Q(region_id__in=lineage(code)) | in_subtree("region__code", code),
            audience=Announcement.Audience.PUBLIC,
            state=Announcement.State.PUBLISHED,
        )
        .select_related("region")
        .only(*LISTED_COLUMNS, *(("text",) if with_text else ()))
        .order_by(*LISTED_ORDER)[:limit],
        fixed=True,
    )


def addressable_regions(viewer: Viewer) -> list[Region]:
    """The regions the viewer may address: those they speak for and two levels below (a
    province's staff reach its kota and kecamatan, a kota its kecamatan and kelurahan)."""
    codes = scope.region_codes(viewer, SPEAKERS)
    if getattr(viewer, "is_superuser", False):
        codes = codes or list(
            Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True)
        )
    if not codes:
        return []
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(code=code) | (
            Q(code__startswith=subtree_prefix(code)) & Q(level__lte=(level_of(code) or 0) + 2)
        )
    return list(Region.objects.filter(condition).order_by("code").only("code", "name", "level"))


def may_speak_for(viewer: Viewer, code: str) -> bool:
    return scope.can_act(viewer, code, SPEAKERS)


def may_write(viewer: Viewer) -> bool:
    return bool(scope.region_codes(viewer, SPEAKERS)) or bool(
        getattr(viewer, "is_superuser", False)
    )
