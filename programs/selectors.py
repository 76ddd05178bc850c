"""Reads about proposals that several views share; each takes the viewer and scopes itself.

Who sees a proposal: its proposer and team members, always; once it has been submitted,
also the forum officers, the Koordinator Kota and the Dinas staff whose region holds its
kelurahan (forkom.scope). A draft that was never submitted stays with its proposer.
"""

from collections.abc import Iterable
from functools import lru_cache
from uuid import UUID

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from cadres.forums.selectors import person_name
from cadres.models import CadreProfile
from cadres.selectors import own_profile
from forkom import scope, statements
from forkom.accounts.models import Role
from forkom.scope import Viewer
from forkom.territory.models import Region
from programs.models import (
    FORWARD,
    REVIEW_STATES,
    REVIEW_STEPS,
    Proposal,
    ProposalAid,
)

LIST_RELATED = ("proposer", "location", "location__parent", "field")


def _aids_listed() -> Prefetch:
    """A row's kinds of help as a list, `aid_list`, that the row joins: not a related
    manager built per row to reach the prefetched ones (as the catalogue's topics)."""
    return Prefetch("aids", to_attr="aid_list")


# What the public sees of the review chain: proposals channelled by the kota to the province
# (escalated) and those the province accepted into its programme.
PUBLIC_STATES = (Proposal.State.ESCALATED, Proposal.State.ACCEPTED)
# The columns a public row shows. The proposer's name is read only where they agreed to
# show it (`name_public_since`); the team is never named.
PUBLIC_COLUMNS = (
    "public_id",
    "title",
    "state",
    "state_changed_at",
    "budget",
    "beneficiaries",
    "location__code",
    "location__name",
    "location__kind",
    "location__parent__code",
    "location__parent__name",
    "field__name",
)


def _public(region_code: str | None, state: str | None) -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(state__in=PUBLIC_STATES)
    if region_code:
        proposals = proposals.filter(
            location_id__in=Region.objects.within(region_code).values("code")
        )
    if state:
        proposals = proposals.filter(state=state)
    return proposals


def public_keys(
    region_code: str | None = None, state: str | None = None
) -> QuerySet[Proposal, int]:
    """The proposals anyone may see listed (the same for every viewer), newest decision
    first, in the region `region_code` and the state `state` when given: their keys only.
    Slice it (a page), then read the rows with public_rows."""
    return (
        _public(region_code, state)
        .order_by("-state_changed_at", "-pk")
        .values_list("pk", flat=True)
    )


def _public_columns(keys: QuerySet[Proposal, int]) -> QuerySet[Proposal]:
    shown_name = Case(
        When(name_public_since__isnull=False, then=F("proposer__full_name")), default=Value("")
    )
    return (
        Proposal.objects.filter(pk__in=keys)
        .select_related("location__parent", "field")
        .only(*PUBLIC_COLUMNS)
        .annotate(public_name=shown_name)
        .order_by("-state_changed_at", "-pk")
    )


def public_rows(keys: QuerySet[Proposal, int]) -> QuerySet[Proposal]:
    """The listed proposals of `keys` (a slice of public_keys), in its order, with what the
    list shows and their kinds of help in one more query. One query: the keys are a subquery.
    Joined to their proposers and kelurahan before the slice, a kota's 377 public proposals
    cost PostgreSQL 3.3 ms of planning and 4.7 ms of running to show 25; picked first, 1.4
    and 1.3 ms (docs/performance.md)."""
    return _public_columns(keys).prefetch_related(_aids_listed())


# The first page of the public list, kept per area, state and length: the same for everyone.
_public_first: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def public_first_page(
    region_code: str | None, state: str | None, size: int
) -> tuple[list[Proposal], int]:
    """The first `size` rows of public_rows(public_keys(region_code, state)) and how many
    there are in all: the page most visitors open, in one statement kept per area and state
    (the same for every visitor; the form admits only its own choices), then the kinds of
    help of its rows (one query). Built and compiled on each visit, the count and the rows
    took 3.4 ms more than they ran, and PostgreSQL planned both each time."""
    return statements.page_and_count(
        _public_first,
        (Proposal.objects.db, region_code, state, size),
        lambda: _public_columns(public_keys(region_code, state)[:size]),
        lambda: _public(region_code, state),
        prefetch=[_aids_listed()],
    )


def _own_q(user: Viewer) -> Q:
    """The user's own proposals (as proposer or on the team), as conditions on the proposal's
    own columns: the profile's id (read once per request) and the team's proposal ids. A join
    to the profile OR'ed with a subquery made PostgreSQL read every proposal of the country
    (800 ms at national scale); literal ids are two index reads."""
    return _own_of(*_own_parts(user))


def _own_parts(user: Viewer) -> tuple[int | None, tuple[int, ...]]:
    """What _own_q's conditions are made of: the user's cadre profile's id (None without
    one) and the proposals whose team it is on, read once (a kept statement's key)."""
    profile = own_profile(user)
    if profile is None:
        return None, ()
    return profile.pk, _team_of(profile.pk)


def _team_of(profile_id: int) -> tuple[int, ...]:
    """The proposals whose team the profile is on, by id."""
    return tuple(
        Proposal.team.through.objects.filter(cadreprofile_id=profile_id)
        .order_by("proposal_id")
        .values_list("proposal_id", flat=True)
    )


def _own_of(profile_id: int | None, team: tuple[int, ...]) -> Q:
    if profile_id is None:  # no profile: nothing of their own
        return Q(pk__in=[])
    return Q(proposer_id=profile_id) | Q(pk__in=team)


def visible_proposals(user: Viewer) -> QuerySet[Proposal]:
    """Every proposal the user may see (own, team, and submitted ones in their region)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Proposal.objects.none()
    return _visible(user, _own_q(user))


def _visible(user: Viewer, own: Q) -> QuerySet[Proposal]:
    """visible_proposals(user) with their own proposals' conditions (_own_q) read before."""
    in_region = scope.region_q(user, "location__code", scope.OFFICERS_AND_ABOVE) & Q(
        first_submitted_at__isnull=False
    )
    return Proposal.objects.filter(own | in_region)


# The first page of the area's list ("Semua usulan"), kept per viewer, profile and team.
_visible_first: statements.Kept[statements.ModelStatement | None] = statements.Kept()
# The area's list's order: the latest change first.
LIST_ORDER = ("-state_changed_at", "-pk")


def visible_first_page(user: Viewer, size: int) -> tuple[list[Proposal], int]:
    """The first `size` rows of visible_proposals(user) as the list shows them (for_list),
    the latest change first, and how many there are: the page the list opens on, unfiltered,
    in one statement kept by what visible_proposals is made of (the viewer's key, their
    profile and the proposals whose team they are on, read first as it reads them), its
    keys picked first as KeysFirstPaginator picks them; then the kinds of help of its rows.
    The count, the keys and the rows were three queries built and compiled on every visit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return [], 0
    profile_id, team = _own_parts(user)
    own = _own_of(profile_id, team)
    return statements.page_and_count(
        _visible_first,
        (Proposal.objects.db, scope.viewer_key(user), profile_id, team, size),
        lambda: _listed_columns(
            Proposal.objects.filter(
                pk__in=_visible(user, own).order_by(*LIST_ORDER).values("pk")[:size]
            )
        ).order_by(*LIST_ORDER),
        lambda: _visible(user, own),
        prefetch=[_aids_listed()],
    )


def may_see(user: Viewer, proposal: Proposal) -> bool:
    """Whether the proposal is among visible_proposals(user), for one already read (with its
    proposer): its proposer; once submitted, those who hold a role over its kelurahan
    (scope.can_act, region_q's twin; a superuser, any); its team (one query, asked last)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if proposal.proposer.user_id == user.pk:
        return True
    if proposal.first_submitted_at is not None:
        if proposal.location_id is None:  # region_q's condition holds for a superuser only
            if user.is_superuser:
                return True
        elif scope.can_act(user, proposal.location_id, scope.OFFICERS_AND_ABOVE):
            return True
    return proposal.team.filter(user_id=user.pk).exists()


def get_visible_or_404(user: Viewer, public_id: UUID) -> Proposal:
    """The proposal if the user may see it (may_see); otherwise it does not exist for them.
    Read by its key, with its proposer, kelurahan, kecamatan and field, through a statement
    compiled once: building and compiling visible_proposals(user) for it took a third of
    the proposal page's own time."""
    proposal = statements.one_by(Proposal, "public_id", public_id, *LIST_RELATED)
    if proposal is None or not may_see(user, proposal):
        raise Http404
    return proposal


# What a list row shows (programs.templatetags.proposals.proposal_rows). Not the proposal's
# long texts: up to 5,000 characters each, they made the rows the database sorts for a page
# six times wider. Nor its field, nor the rest of its proposer's profile (NIK and address
# included): read whole and joined to all of LIST_RELATED, the rows took a kecamatan
# officer's waiting list about 2 ms longer (docs/performance.md).
LIST_COLUMNS = (
    "public_id",
    "title",
    "state",
    "state_changed_at",
    "budget",
    "proposer__full_name",
    "location__name",
    "location__parent__name",
)


def for_list(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a list row shows, fetched with the rows: the proposer's name, the kelurahan and
    its kecamatan (_listed_columns), the kinds of help."""
    return _listed_columns(queryset).prefetch_related(_aids_listed())


def _listed_columns(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """for_list without the kinds of help: for a kept statement, which reads no prefetch
    (they are read after it: first_and_count's prefetch)."""
    return queryset.select_related("proposer", "location__parent").only(*LIST_COLUMNS)


def mine(user: Viewer) -> QuerySet[Proposal]:
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    return Proposal.objects.filter(_own_q(user))


# "Usulan saya": the latest change first.
MINE_ORDER = ("-updated_at", "-pk")


# The first page of a person's own proposals, kept per profile and team (_own_of's values).
_mine_first: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def mine_first_page(user: Viewer, size: int) -> tuple[list[Proposal], int]:
    """The first `size` rows of mine(user) as a list shows them (for_list), the latest
    change first, and how many there are: the page "Usulan saya" opens on, in one statement
    kept per profile and the proposals whose team they are on (the ids written into it, read
    first as mine() reads them: a team joined or left is a new key), then the kinds of help
    of its rows. The count and the page were compiled on every visit."""
    profile_id, team = _own_parts(user)
    if profile_id is None:
        return [], 0
    return statements.first_and_count(
        _mine_first,
        (Proposal.objects.db, profile_id, team),
        lambda: _listed_columns(Proposal.objects.filter(_own_of(profile_id, team))).order_by(
            *MINE_ORDER
        ),
        size,
        prefetch=[_aids_listed()],
    )


def own_proposals(profile: CadreProfile) -> list[Proposal]:
    """The proposals `profile` made or works on as a team member (the rows of mine()), with
    their public id, title, state and when the state last changed, the oldest change first.
    For a person's home page, which counts them by state and lists those returned to them:
    one statement kept per database, where the team's ids, the counts and the returned list
    were three queries compiled on every visit (2.1 ms, 0.3 ms this way)."""
    return statements.instances(_own_statement(Proposal.objects.db), profile.pk)


@lru_cache(maxsize=4)
def _own_statement(alias: str) -> statements.ModelStatement:
    # Two index reads joined by a UNION: as one OR with the team's subquery, PostgreSQL read
    # every proposal of the country (_own_q).
    columns = ("public_id", "title", "state", "state_changed_at")
    proposals = Proposal.objects.using(alias).order_by()
    made = proposals.filter(proposer_id=statements.PLACEHOLDER).only(*columns)
    on_team = proposals.filter(team=statements.PLACEHOLDER).only(*columns)
    return statements.compiled_models(made.union(on_team).order_by("state_changed_at", "pk"))


def waiting_for(user: Viewer) -> QuerySet[Proposal]:
    """The proposals in the user's region that wait for a decision the user may take.

    A kecamatan officer acts on submitted proposals of their kecamatan, the Koordinator Kota
    on recommended ones of their kota, Dinas staff of a province on escalated ones. Oldest
    first: the longest wait is at the top.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Proposal.objects.none()
    # The user's own left out in SQL (not_own), with no id read before: the queryset depends
    # on the viewer's key alone (forkom.scope.viewer_key), so its statement can be kept.
    return (
        Proposal.objects.filter(_to_decide_q(user))
        .filter(not_own(user))
        .order_by("state_changed_at", "pk")
    )


# Per viewer (forkom.scope.viewer_key) and database; statements.PER_VIEWER at most.
_first_to_decide: statements.Kept[statements.ModelStatement | None] = statements.Kept()


def first_to_decide(user: Viewer, limit: int) -> tuple[list[Proposal], int]:
    """The first `limit` proposals of waiting_for(user), with the columns a home page lists
    (title, place, since when; not the long texts), and how many wait in all: one statement
    kept per viewer (forkom.statements.first_and_count)."""
    return statements.first_and_count(
        _first_to_decide,
        ("home", Proposal.objects.db, scope.viewer_key(user)),
        lambda: (
            waiting_for(user)
            .select_related("location")
            .only("public_id", "title", "state_changed_at", "location", "location__name")
        ),
        limit,
    )


def waiting_first_page(user: Viewer, size: int) -> tuple[list[Proposal], int]:
    """The first `size` proposals of waiting_for(user) as a list shows them (for_list), and
    how many wait in all: the first page of "Waiting for me", opened from the menu, in one
    statement kept per viewer, then the kinds of help of its rows (one query)."""
    return statements.first_and_count(
        _first_to_decide,
        ("page", Proposal.objects.db, scope.viewer_key(user)),
        lambda: _listed_columns(waiting_for(user)),
        size,
        prefetch=[_aids_listed()],
    )


def waiting_to_count(user: Viewer) -> QuerySet[Proposal]:
    """The rows of waiting_for, unordered, for the menu's count (at most a hundred rows are
    counted; the list itself uses waiting_for). The same rule: the user's own proposals are
    left out in SQL (not_own), so the count is read in the one query of the menu's counts."""
    return waiting_for(user).order_by()


def not_own(user: Viewer) -> Q:
    """Proposals that `user` neither proposed nor works on as a team member, in SQL, for a
    reviewer's queues and counts (nobody decides on a proposal they are part of).

    Both on the proposal's own columns: `exclude(proposer__user_id=...)` joined every
    waiting proposal to its proposer's profile to compare user ids; the profile's id and
    the team's proposal ids from subqueries are read once (PostgreSQL's hashed subplans;
    the team's as a NOT IN, which planned and ran a little faster than a NOT EXISTS for the
    count and the queues): for the 127 proposals waiting in Kota Bontang, 0.2-0.3 ms of
    planning and 0.15-0.2 ms of running instead of 0.4 and 0.45 ms (national seed)."""
    profile = CadreProfile.objects.filter(user_id=user.pk).values("pk")
    team = Proposal.team.through.objects.filter(cadreprofile__user_id=user.pk)
    return ~Q(proposer__in=profile) & ~Q(pk__in=team.values("proposal_id"))


def _to_decide_q(user: Viewer) -> Q:
    condition = Q(pk__in=[])
    for state, (role, level) in REVIEW_STEPS.items():
        # Held over the reviewing region (the kelurahan's kecamatan, kota or province) or
        # above it: a kelurahan officer's grant, below the kecamatan, does not reach it. The
        # same answer as scope.can_act on Proposal.reviewer().
        condition |= Q(state=state) & scope.ancestor_q(user, "location__code", {role}, level)
    return condition


def is_proposer_or_team(user: Viewer, proposal: Proposal) -> bool:
    return proposal.proposer.user_id == user.pk or proposal.team.filter(user_id=user.pk).exists()


def actions_for(user: Viewer, proposal: Proposal, team: Iterable[CadreProfile]) -> list[str]:
    """The moves `user` may make on `proposal` now, for its buttons (no queries).

    `team` is the proposal's team members, already fetched. The services check again.
    """
    if proposal.proposer.user_id == user.pk:
        actions = []
        if proposal.can_be_submitted():
            actions.append("submit")
        if proposal.can_be_withdrawn():
            actions.append("withdraw")
        if proposal.can_be_discarded():
            actions.append("discard")
        return actions
    if any(member.user_id == user.pk for member in team):
        return []
    if proposal.state not in REVIEW_STATES:
        return []
    role, code = proposal.reviewer()
    if not scope.can_act(user, code, {role}):
        return []
    return [FORWARD_ACTIONS[FORWARD[Proposal.State(proposal.state)]], "return", "decline"]


FORWARD_ACTIONS = {
    Proposal.State.RECOMMENDED: "recommend",
    Proposal.State.ESCALATED: "escalate",
    Proposal.State.ACCEPTED: "accept",
}


def display_name(user: Viewer, proposal: Proposal) -> str:
    """The name shown for `user` on the proposal's timeline or discussion; never an email."""
    if user is None:
        return ""
    if proposal.proposer.user_id == user.pk:
        return proposal.proposer.full_name
    return person_name(user)


def role_on(user: Viewer, proposal: Proposal) -> str:
    """The capacity in which `user` speaks on the proposal: cadre, officer, coordinator, staff."""
    if is_proposer_or_team(user, proposal):
        return Role.CADRE
    for role in scope.ROLES_BY_RANK:
        # A draft may have no kelurahan yet; only its proposer and team speak on it.
        if proposal.location_id and scope.can_act(user, proposal.location_id, {role}):
            return role
    return ""


def asked_beyond_budget(budget: int | None, aids: Iterable[ProposalAid]) -> int | None:
    """The sum of the amounts a proposal asks for, when it is more than the programme's
    budget; else None. The proposal's page says so to the proposer and the reviewers. It is
    not refused: a bank loan, say, may be meant for more than the programme itself costs."""
    asked = sum(aid.amount for aid in aids if aid.amount is not None)
    return asked if budget is not None and asked > budget else None
