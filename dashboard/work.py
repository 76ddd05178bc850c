"""What each signed-in person has to do now: the role home at `/` (issue 16).

One section per hat the person wears, each a few counts and the oldest items first, read
through the apps' own selectors (scoped to the viewer). A person with several roles (a
cadre who is also a ketua) sees each section.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from cadres import selectors as cadre_selectors
from cadres.forums import selectors as forum_selectors
from cadres.meetings import selectors as meeting_selectors
from cadres.models import CadreProfile, DeletionRequest, FollowUp, MeetingInvitation
from forkom import scope
from forkom.accounts.models import Role
from forkom.territory.models import Region
from programs import selectors as program_selectors
from programs.models import Proposal
from trainings import selectors as training_selectors
from trainings.models import Registration

# How many items a section lists before "see all".
SHOWN = 5


@dataclass
class Work:
    profile: CadreProfile | None = None
    has_profile_step: bool = False
    proposals_by_state: list[tuple[str, int]] = field(default_factory=list)
    returned: list[Proposal] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    waiting_cadres: list[CadreProfile] = field(default_factory=list)
    waiting_cadre_count: int = 0
    proposal_queue: list[Proposal] = field(default_factory=list)
    proposal_queue_count: int = 0
    unformed_forums: list[Region] = field(default_factory=list)
    unformed_forum_count: int = 0
    deletion_requests: list[DeletionRequest] = field(default_factory=list)
    deletion_request_count: int = 0
    roles: set[str] = field(default_factory=set)
    meetings_to_answer: list[MeetingInvitation] = field(default_factory=list)
    follow_ups_due: list[FollowUp] = field(default_factory=list)

    @property
    def is_officer_or_staff(self) -> bool:
        return bool(self.roles & {Role.FORUM_OFFICER, Role.DINAS_STAFF})

    @property
    def reviews_proposals(self) -> bool:
        return bool(self.roles & scope.OFFICERS_AND_ABOVE)


def work_of(user: Any, now: datetime | None = None) -> Work:
    now = now or timezone.now()
    work = Work(roles={grant.role for grant in scope.grants(user)})
    work.profile = cadre_selectors.own_profile(user)
    profile = work.profile
    # Officials without a cadre profile (a coordinator, Dinas staff) have no profile step.
    if profile is None:
        work.has_profile_step = not work.roles
    else:
        work.has_profile_step = profile.status != CadreProfile.Status.VERIFIED

    work.meetings_to_answer = meeting_selectors.to_answer(user, now)
    work.follow_ups_due = meeting_selectors.follow_ups_due(user)

    # A person without a cadre profile proposes nothing and signs up for nothing; asking
    # would look for their profile again (own_profile keeps a profile, not its absence).
    if profile is not None:
        own = program_selectors.own_proposals(profile)  # the oldest change first
        counts = Counter(proposal.state for proposal in own)
        work.proposals_by_state = [
            (str(label), counts[value])
            for value, label in Proposal.State.choices
            if counts.get(value)
        ]
        work.returned = [
            proposal for proposal in own if proposal.state == Proposal.State.RETURNED
        ][:SHOWN]
        work.registrations = training_selectors.coming(profile, now, SHOWN)

    if work.is_officer_or_staff:
        # Each list with what it shows, and its count, in one statement kept per viewer.
        work.waiting_cadres, work.waiting_cadre_count = cadre_selectors.first_waiting(user, SHOWN)

    if work.reviews_proposals:
        work.proposal_queue, work.proposal_queue_count = program_selectors.first_to_decide(
            user, SHOWN
        )

    if Role.CITY_COORDINATOR in work.roles:
        # Formed or not, and a link by name: not the member counts, which counted the city's
        # thousands of members (the national seed's Kota Bontang, the list timed in process:
        # 4.6-5.8 ms with them, 3.2-4.1 ms without).
        regions = forum_selectors.formation_in_reach(user, {Role.CITY_COORDINATOR})
        unformed = [region for region in regions if not _is_formed(region)]
        work.unformed_forum_count = len(unformed)
        work.unformed_forums = unformed[:SHOWN]

    if Role.DINAS_STAFF in work.roles:
        work.deletion_requests, work.deletion_request_count = (
            cadre_selectors.first_deletion_requests(user, SHOWN)
        )
    return work


def _is_formed(region: Any) -> bool:
    """For a region annotated by `with_forum_columns`."""
    return forum_selectors.is_formed(
        has_ketua=region.has_ketua, sk_number=region.sk_number, sk_date=region.sk_date
    )
