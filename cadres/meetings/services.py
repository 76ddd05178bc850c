"""Forum meetings: schedule, answer, record attendance and minutes, publish them.

Each write locks the row two people may change at once (the meeting for its organisers, the
invitation for its invitee), checks who may act, records a MeetingEvent and tells the people
concerned through the inbox (forkom.notifications).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.meetings import selectors
from cadres.models import FollowUp, Meeting, MeetingEvent, MeetingInvitation
from forkom import scope
from forkom.accounts import services as account_services
from forkom.errors import BadInput, DomainError, MayNot
from forkom.events import recorded
from forkom.notifications import kinds
from forkom.notifications import services as notifications
from forkom.scope import Actor
from forkom.territory.models import Region

INVITATION = kinds.register("meeting", gettext_lazy("Meeting invitations"), email_default=True)
MINUTES = kinds.register("meeting_minutes", gettext_lazy("Meeting minutes"), email_default=False)
FOLLOW_UP = kinds.register(
    "follow_up", gettext_lazy("Follow-ups you are responsible for"), email_default=True
)
State = Meeting.State


@dataclass(frozen=True)
class FollowUpLine:
    text: str
    responsible_id: int  # a MeetingInvitation of the meeting
    due_on: date


def schedule_meeting(
    *,
    actor: Actor,
    region: Region,
    title: str,
    agenda: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    invitee_ids: Collection[int],
) -> Meeting:
    """Call a meeting of `region`'s forum (or the city's, the province's) and invite the
    chosen people among its default invitees."""
    if not selectors.may_organise(actor, region.code):
        raise MayNot(_("You may not call a meeting of this forum."))
    if ends_at <= starts_at:
        raise BadInput(_("The meeting must end after it starts."))
    chosen = {
        candidate.user_id: candidate
        for candidate in selectors.candidates(region)
        if candidate.user_id in set(invitee_ids)
    }
    if set(invitee_ids) - set(chosen):
        raise BadInput(_("Someone chosen is not among the people this meeting may invite."))
    if not chosen:
        raise BadInput(_("Invite at least one person."))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            region=region,
            title=title,
            agenda=agenda,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            organiser=actor,
            signed_as=scope.signed_as(actor, region),
        )
        MeetingInvitation.objects.bulk_create(
            MeetingInvitation(
                meeting=meeting, user_id=c.user_id, name=c.name[:150], position=c.position[:150]
            )
            for c in chosen.values()
        )
        MeetingEvent.objects.create(meeting=meeting, actor=actor, after=State.SCHEDULED)
        notifications.tell(
            [invitation.user for invitation in meeting.invitations.select_related("user")],
            kind=INVITATION,
            template="cadres/email/meeting_invitation",
            context={"meeting": meeting},
            url=meeting.get_absolute_url(),
            key=f"meeting:{meeting.public_id}:invited",
        )
    return meeting


def answer_invitation(*, actor: Actor, meeting: Meeting, answer: str) -> MeetingInvitation:
    """The invitee says hadir or tidak hadir (and may change their mind until it starts)."""
    if answer not in {MeetingInvitation.Answer.PRESENT, MeetingInvitation.Answer.ABSENT}:
        raise BadInput(_("Answer hadir or tidak hadir."))
    with transaction.atomic():
        # Before the invitation: forgetting the person locks the account, then rewrites it.
        account_services.lock_open_account(actor)
        invitation = (
            MeetingInvitation.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .filter(meeting=meeting, user=actor)
            .first()
        )
        if invitation is None:
            raise MayNot(_("You are not invited to this meeting."))
        if not invitation.meeting.takes_answers():
            raise DomainError(_("This meeting has started; answers are closed."))
        before = invitation.answer
        invitation.answer = answer
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answered_at"])
        MeetingEvent.objects.create(
            meeting=invitation.meeting, actor=actor, before=before, after=answer
        )
    return invitation


def record_minutes(
    *,
    actor: Actor,
    meeting: Meeting,
    attended_ids: Collection[int],
    minutes: str,
    decisions: str,
    follow_ups: Sequence[FollowUpLine],
) -> Meeting:
    """After the meeting: who attended (all invitees in one form), the minutes, decisions,
    and follow-ups each with a person responsible (an invitee) and a due date."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not selectors.may_manage(actor, locked):
            raise MayNot(_("You may not record the minutes of this meeting."))
        if locked.state not in {State.SCHEDULED, State.HELD}:
            raise DomainError(_("The minutes of this meeting are already published."))
        if locked.starts_at > timezone.now():
            raise DomainError(_("The meeting has not started yet."))
        invitations = set(locked.invitations.values_list("pk", flat=True))
        attended = set(attended_ids)
        named = {line.responsible_id for line in follow_ups}
        if attended - invitations or named - invitations:
            raise BadInput(_("Someone chosen is not invited to this meeting."))
        locked.invitations.filter(pk__in=attended).update(attended=True)
        locked.invitations.exclude(pk__in=attended).update(attended=False)
        locked.follow_ups.all().delete()
        FollowUp.objects.bulk_create(
            FollowUp(
                meeting=locked,
                text=line.text,
                responsible_id=line.responsible_id,
                due_on=line.due_on,
            )
            for line in follow_ups
        )
        before = locked.state
        locked.minutes, locked.decisions, locked.state = minutes, decisions, State.HELD
        locked.save(update_fields=["minutes", "decisions", "state"])
        MeetingEvent.objects.create(
            meeting=locked,
            actor=actor,
            before=before,
            after=State.HELD,
            note=recorded(
                gettext_lazy("%(present)d of %(invited)d attended"),
                {"present": len(attended), "invited": len(invitations)},
            ),
        )
    return locked


def publish_minutes(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Send the minutes to the invitees; the persons responsible hear of their follow-ups."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not selectors.may_manage(actor, locked):
            raise MayNot(_("You may not publish the minutes of this meeting."))
        if locked.state != State.HELD:
            raise DomainError(_("Record the attendance and the minutes first."))
        if not locked.minutes.strip():
            raise BadInput(_("The minutes are empty."))
        locked.state = State.PUBLISHED
        locked.minutes_published_at = timezone.now()
        locked.save(update_fields=["state", "minutes_published_at"])
        MeetingEvent.objects.create(
            meeting=locked, actor=actor, before=State.HELD, after=State.PUBLISHED
        )
        invitations = list(locked.invitations.select_related("user"))
        notifications.tell(
            [invitation.user for invitation in invitations],
            kind=MINUTES,
            template="cadres/email/meeting_minutes",
            context={"meeting": locked},
            url=locked.get_absolute_url(),
            key=f"meeting:{locked.public_id}:minutes",
        )
        for follow_up in locked.follow_ups.select_related("responsible__user"):
            notifications.tell(
                [follow_up.responsible.user],
                kind=FOLLOW_UP,
                template="cadres/email/follow_up",
                context={"meeting": locked, "follow_up": follow_up},
                url=locked.get_absolute_url(),
                key=f"follow-up:{follow_up.pk}",
            )
    return locked


def complete_follow_up(*, actor: Actor, follow_up: FollowUp) -> FollowUp:
    """The person responsible (or an organiser) marks a follow-up done."""
    with transaction.atomic():
        locked = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("meeting", "responsible")
            .get(pk=follow_up.pk)
        )
        if locked.responsible.user_id != actor.pk and not selectors.may_manage(
            actor, locked.meeting
        ):
            raise MayNot(_("Only the person responsible marks this follow-up done."))
        if locked.done_at is not None:
            raise DomainError(_("This follow-up is already done."))
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
        MeetingEvent.objects.create(
            meeting=locked.meeting, actor=actor, after="follow_up_done", note=locked.text[:200]
        )
    return locked
