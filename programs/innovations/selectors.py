"""Reads on innovations, each taking the viewer."""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cadres.models import CadreProfile
from cadres.selectors import own_profile
from forkom import scope, statements
from forkom.accounts.models import Role
from forkom.scope import Viewer
from forkom.territory.codes import ancestor_at
from programs.models import Innovation

INNOVATION_RELATED = ("kelurahan", "kelurahan__parent", "field", "recorded_by")
# What a list of innovations shows of each (templates/programs/_innovation_rows.html: a
# cadre's own, a reviewer's queues): its title and link, its kelurahan, its state. Joined to
# the four relations above and read whole, an officer's queue of eight took PostgreSQL four
# times as long to plan, and built five model instances a row (docs/performance.md).
LISTED_COLUMNS = ("public_id", "title", "state", "channelled_at", "kelurahan__name")


def published_innovations() -> QuerySet[Innovation]:
    """The public gallery: every published innovation, with what a card shows (its place,
    field, description and first photo). Not who recorded it: a card does not name them,
    and a public page has no reason to read a cadre's row (their NIK, phone, address)."""
    return _published().prefetch_related("photos")


def _published() -> QuerySet[Innovation]:
    return (
        Innovation.objects.filter(state=Innovation.State.PUBLISHED)
        .select_related("kelurahan__parent", "field")
        .defer("results", "impact")
    )


# The gallery's first page, unfiltered, kept per database and length.
_gallery_first: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def gallery_first_page(size: int) -> tuple[list[Innovation], int]:
    """The first `size` of published_innovations() and how many there are in all, as the
    gallery opens without a filter: one statement kept per database (the same for everyone),
    then the photos of its cards (one query). Built and compiled on each visit, the count
    and the page took longer than they ran."""
    return statements.first_and_count(
        _gallery_first, Innovation.objects.db, _published, size, prefetch=["photos"]
    )


def _own_innovation_q(user: Viewer) -> Q:
    """The user's own innovations (recorded by them, or naming them) on the innovation's own
    columns, with literal ids: a join OR'ed with a subquery read the whole table (138 ms on
    the national seed, as programs.selectors._own_q did)."""
    profile = own_profile(user)
    if profile is None:
        return Q(pk__in=[])
    behind = list(
        Innovation.cadres.through.objects.filter(cadreprofile_id=profile.pk).values_list(
            "innovation_id", flat=True
        )
    )
    return Q(recorded_by_id=profile.pk) | Q(pk__in=behind)


def visible_innovations(user: Viewer) -> QuerySet[Innovation]:
    """Published ones for everybody; the others for their cadres and the area's reviewers."""
    published = Q(state=Innovation.State.PUBLISHED)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Innovation.objects.filter(published)
    in_region = scope.region_q(user, "kelurahan__code", scope.OFFICERS_AND_ABOVE)
    return Innovation.objects.filter(published | _own_innovation_q(user) | in_region)


def get_innovation_or_404(user: Viewer, public_id: UUID) -> Innovation:
    return get_object_or_404(
        visible_innovations(user).select_related(*INNOVATION_RELATED), public_id=public_id
    )


def my_innovations(user: Viewer) -> QuerySet[Innovation]:
    if not getattr(user, "is_authenticated", False):
        return Innovation.objects.none()
    return (
        Innovation.objects.filter(_own_innovation_q(user))
        .select_related("kelurahan")
        .only(*LISTED_COLUMNS)
    )


def _not_own_innovation(user: Viewer) -> Q:
    """Innovations that `user` neither recorded nor is named in, in SQL (as
    programs.selectors.not_own for proposals): no id read before, so a queue's statement
    depends on the viewer's key alone."""
    profile = CadreProfile.objects.filter(user_id=user.pk).values("pk")
    behind = Innovation.cadres.through.objects.filter(cadreprofile__user_id=user.pk)
    return ~Q(recorded_by__in=profile) & ~Q(pk__in=behind.values("innovation_id"))


def innovations_to_publish(user: Viewer) -> QuerySet[Innovation]:
    """Recorded innovations of the officer's area, oldest first: what their queue shows."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Innovation.objects.none()
    return (
        Innovation.objects.filter(
            scope.region_q(user, "kelurahan__code", {Role.FORUM_OFFICER}),
            state=Innovation.State.RECORDED,
        )
        .filter(_not_own_innovation(user))
        .select_related("kelurahan")
        .only(*LISTED_COLUMNS)
        .order_by("created_at", "pk")
    )


# Per queue, viewer (forkom.scope.viewer_key) and database; statements.PER_VIEWER at most.
_queues: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def first_to_publish(user: Viewer, limit: int) -> list[Innovation]:
    """The first `limit` of innovations_to_publish(user): one statement kept per viewer
    ("Waiting for me" shows the oldest few on every visit)."""
    key = ("publish", Innovation.objects.db, scope.viewer_key(user))
    return statements.first_kept(_queues, key, lambda: innovations_to_publish(user), limit)


def first_channelled_to(user: Viewer, limit: int) -> list[Innovation]:
    """The first `limit` of innovations_channelled_to(user), as first_to_publish."""
    key = ("channelled", Innovation.objects.db, scope.viewer_key(user))
    return statements.first_kept(_queues, key, lambda: innovations_channelled_to(user), limit)


def innovations_channelled_to(user: Viewer) -> QuerySet[Innovation]:
    """Innovations the Koordinator Kota channelled to the province, for Dinas staff: what
    their queue shows."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Innovation.objects.none()
    return (
        Innovation.objects.filter(
            scope.region_q(user, "kelurahan__code", scope.STAFF),
            channelled_at__isnull=False,
        )
        .select_related("kelurahan")
        .only(*LISTED_COLUMNS)
        .order_by("channelled_at", "pk")
    )


def is_own_innovation(user: Viewer, innovation: Innovation) -> bool:
    return (
        innovation.recorded_by.user_id == user.pk
        or innovation.cadres.filter(user_id=user.pk).exists()
    )


def innovation_actions_for(
    user: Viewer, innovation: Innovation, cadres: Iterable[CadreProfile]
) -> list[str]:
    """What `user` may do on the innovation now (no queries; `cadres` already fetched)."""
    actions: list[str] = []
    if not getattr(user, "is_authenticated", False):
        return actions
    own = innovation.recorded_by.user_id == user.pk or any(
        cadre.user_id == user.pk for cadre in cadres
    )
    if (
        innovation.can_be_published()
        and not own
        and scope.can_act(user, innovation.kelurahan_id, {Role.FORUM_OFFICER})
    ):
        actions.append("publish")
    if innovation.can_be_channelled() and scope.can_act(
        user, ancestor_at(innovation.kelurahan_id, 2), {Role.CITY_COORDINATOR}
    ):
        actions.append("channel")
    return actions
