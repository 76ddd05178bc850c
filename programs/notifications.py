"""Notifications about a proposal's moves (inbox, and email), sent once the move is committed.

Those concerned by a move: the proposer and the team (unless they made it), the reviewers
who must act next, when a proposal under review is withdrawn, the reviewers who held it,
and when it is returned, the reviewers of the steps before that passed it on. Each person
gets one message of their own, so nobody sees another's address.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forkom.accounts.models import RoleAssignment, User
from forkom.http import absolute_url
from forkom.notifications import kinds
from forkom.notifications.services import tell
from programs.models import REVIEW_STATES, Attachment, Proposal, ProposalEvent

State = Proposal.State
PROPOSAL = kinds.register(
    "proposal", _("Moves of proposals I wrote, joined or review"), email_default=True
)


def proposal_moved(event_pk):
    event = (
        ProposalEvent.objects.select_related(
            "proposal", "proposal__proposer__user", "proposal__location"
        )
        .filter(pk=event_pk)
        .first()
    )
    if event is None:
        # A draft discarded before the worker came to its creation: nothing left to tell
        # (the task failed with DoesNotExist, found by a walk through the demo site).
        return
    authors = {event.proposal.proposer.user_id, *(m.user_id for m in _team(event.proposal))}
    for user, waits_for_them in concerned(event):
        if user.pk != event.actor_id:
            _tell(event, user, waits_for_them, revises=user.pk in authors)


def concerned(event):
    """(user, whether the proposal now waits for them) for everyone told of `event`."""
    proposal = event.proposal
    if event.after == State.DRAFT:
        return []
    people = {}
    for user in [proposal.proposer.user, *(member.user for member in _team(proposal))]:
        people.setdefault(user.pk, (user, False))
    for user in _reviewers(proposal, event.after):
        people[user.pk] = (user, True)
    if event.after == State.WITHDRAWN:
        for user in _reviewers(proposal, event.before):
            people.setdefault(user.pk, (user, False))
    if event.after == State.RETURNED and event.before in REVIEW_STATES:
        # Those who passed it on at the earlier steps (the kecamatan forum that recommended
        # it, the coordinator who escalated it) learn that it came back.
        for state in REVIEW_STATES[: REVIEW_STATES.index(State(event.before))]:
            for user in _reviewers(proposal, state):
                people.setdefault(user.pk, (user, False))
    return [(user, waits) for user, waits in people.values() if user.is_active]


def _team(proposal):
    return proposal.team.select_related("user")


def _reviewers(proposal, state):
    """The holders of the role that reviews `proposal` in `state`, at the reviewing region."""
    reviewer = proposal.reviewer(state)
    if reviewer is None:
        return []
    role, code = reviewer
    return [
        assignment.user
        for assignment in RoleAssignment.objects.current()
        .filter(role=role, region_id=code)
        .select_related("user")
    ]


def _tell(event, user, waits_for_them, *, revises):
    proposal = event.proposal
    tell(
        [user],
        kind=PROPOSAL,
        url=proposal.get_absolute_url(),
        template="programs/email/moved",
        context={
            "event": event,
            "proposal": proposal,
            "state_label": proposal.State(event.after).label,
            "waits_for_them": waits_for_them,
            "revises": revises,  # the proposer or the team: theirs to revise when returned
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )


def document_added(attachment_pk):
    """The proposer gave the reviewers an additional document: those who hold the proposal
    now are told, and the team."""
    attachment = Attachment.objects.select_related(
        "proposal", "proposal__proposer__user", "proposal__location"
    ).get(pk=attachment_pk)
    proposal = attachment.proposal
    people = {
        user.pk: user
        for user in [
            *(member.user for member in _team(proposal)),
            *_reviewers(proposal, proposal.state),
        ]
        if user.pk != attachment.uploaded_by_id
    }
    tell(
        people.values(),
        kind=PROPOSAL,
        url=proposal.get_absolute_url() + "#attachments",
        key=f"document:{attachment.pk}",
        template="programs/email/document",
        context={"proposal": proposal, "attachment": attachment},
    )


def draft_discarded(title, proposer_name, user_pks, forgotten=False):
    """The proposer discarded a draft, or it went with their data (`forgotten`, no name):
    its team members are told (the draft is gone, so the task gets what the message says
    rather than the row)."""
    tell(
        User.objects.filter(pk__in=user_pks),
        kind=PROPOSAL,
        url=reverse("programs:mine"),
        template="programs/email/discarded",
        context={"title": title, "proposer_name": proposer_name, "forgotten": forgotten},
    )
