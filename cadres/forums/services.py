"""Writes on forums: the SK (decree), officers' terms and members.

Each change locks the forum row, checks who acts and the current state, and records a
ForumEvent in the same transaction. Officers are forum-officer role assignments held at the
forum's region, granted and revoked through forkom.accounts.services; a term lasts five years.
"""

import datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.forums import selectors as selectors
from cadres.models import CadreProfile, Field, Forum, ForumEvent, ForumMember, OfficerField
from forkom import mail
from forkom.accounts import services as account_services
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.errors import AlreadyDone, DomainError
from forkom.notifications import kinds
from forkom.notifications.services import tell
from forkom.scope import Actor
from forkom.territory.models import Region

TERM_YEARS = 5
Kind = ForumEvent.Kind
OFFICER = kinds.register(
    "forum_officer", gettext_lazy("My positions as a forum officer"), email_default=True
)


def term_end(starts_on: datetime.date) -> datetime.date:
    """The last day of a term that starts on `starts_on`: five years less one day."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + TERM_YEARS)
    except ValueError:  # 29 February: the anniversary falls on 1 March
        anniversary = datetime.date(starts_on.year + TERM_YEARS, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def get_or_create_forum(*, region: Region) -> Forum:
    """The forum of a kecamatan or kelurahan (the kota has a coordinator, not a forum)."""
    _check_forum_region(region)
    forum, _created = Forum.objects.get_or_create(region=region)
    return forum


def record_sk(
    *,
    actor: Actor,
    forum: Forum,
    number: str,
    date: datetime.date,
    token: UUID | None = None,
) -> Forum:
    """Record (or correct) the decree (SK) that established the forum."""
    number = (number or "").strip()
    check_sk(number=number, date=date)
    with transaction.atomic():
        locked = _lock(forum)
        _check_form(actor, token)  # a double tap: the first post did it
        if not selectors.may_shape(actor, locked.region):
            raise DomainError(
                _("You may not record the SK of %(forum)s.") % {"forum": locked.region.name}
            )
        if (locked.sk_number, locked.sk_date) == (number, date):
            raise DomainError(_("This SK is already recorded."))
        before = selectors.sk_text(locked.sk_number, locked.sk_date)
        locked.sk_number, locked.sk_date, locked.sk_recorded_by = number, date, actor
        locked.save(update_fields=["sk_number", "sk_date", "sk_recorded_by"])
        ForumEvent.objects.create(
            forum=locked,
            actor=actor,
            kind=Kind.SK_RECORDED,
            before=before,
            after=selectors.sk_text(number, date),
            token=token,
        )
    return locked


def check_sk(*, number: str, date: datetime.date | None) -> None:
    """Raise DomainError for an SK that cannot be recorded (also used by the admin's form)."""
    if not number:
        raise DomainError(_("Give the SK number."))
    if len(number) > 100:
        raise DomainError(_("The SK number is at most 100 characters long."))
    if date is None:
        raise DomainError(_("Give the date of the SK."))
    if date > timezone.localdate():
        raise DomainError(_("The date of the SK cannot be in the future."))


def appoint_officer(
    *,
    actor: Actor,
    forum: Forum,
    user: User,
    position: str,
    field: Field | None = None,
    starts_on: datetime.date | None = None,
    token: UUID | None = None,
) -> RoleAssignment:
    """Give a verified cadre of the forum's area a position for a five-year term.

    One current ketua, wakil ketua, sekretaris and bendahara per forum; koordinator bidang
    may be several, each with a field of work.
    """
    position = _position(position)
    starts_on = starts_on or timezone.localdate()
    if position == Position.KOORDINATOR_BIDANG and field is None:
        raise DomainError(_("Choose the field of the koordinator bidang."))
    if position != Position.KOORDINATOR_BIDANG and field is not None:
        raise DomainError(_("Only a koordinator bidang has a field."))
    # Checked before the term's end is computed: a far-future start has no date five years on.
    if starts_on > timezone.localdate():
        raise DomainError(_("A term starts today or earlier."))
    ends_on = term_end(starts_on)
    if ends_on < timezone.localdate():
        raise DomainError(_("A term that has already ended cannot be recorded as current."))
    with transaction.atomic():
        locked = _lock(forum)
        _check_form(actor, token)  # a double tap: the first post did it
        region = locked.region
        if not selectors.may_shape(actor, region):
            raise DomainError(
                _("You may not appoint officers of %(forum)s.") % {"forum": region.name}
            )
        profile = CadreProfile.objects.filter(user=user).select_related("kelurahan").first()
        if profile is None or not selectors.is_in_area(profile, region):
            raise DomainError(
                _("Officers are verified cadres of %(forum)s.") % {"forum": region.name}
            )
        officers = selectors.current_officers().filter(region=region)
        if officers.filter(user=user).exists():
            raise DomainError(
                _("%(name)s already holds a position in this forum.") % {"name": profile.full_name}
            )
        if position in selectors.SINGLE_POSITIONS and officers.filter(position=position).exists():
            raise DomainError(
                _("%(forum)s already has a %(position)s. End that term first.")
                % {"forum": region.name, "position": position.label}
            )
        _close_lapsed_term(locked, user, position)
        assignment = account_services.grant_role(
            actor=None,  # the forum's rules above decide who may appoint, not the staff rule
            user=user,
            role=Role.FORUM_OFFICER,
            region=region,
            position=position,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        assignment.granted_by = actor
        assignment.save(update_fields=["granted_by"])
        if field is not None:
            OfficerField.objects.create(assignment=assignment, field=field)
        ForumEvent.objects.create(
            forum=locked,
            actor=actor,
            kind=Kind.OFFICER_APPOINTED,
            subject=user,
            after=position,
            note=field.name if field is not None else "",
            token=token,
        )
        mail.later(tell_officer, assignment.pk, True)
    return assignment


def tell_officer(assignment_pk: int, appointed: bool) -> None:
    """Tell a person that they were appointed an officer of a forum, or that their term
    ended: the position gives (or takes) the powers of its forum's manage page."""
    assignment = RoleAssignment.objects.select_related("user", "region").get(pk=assignment_pk)
    tell(
        [assignment.user],
        kind=OFFICER,
        url=reverse(
            "forums:manage" if appointed else "forums:detail", args=[assignment.region_id]
        ),
        key=f"officer:{assignment.pk}:{'appointed' if appointed else 'ended'}",
        template="cadres/email/officer_appointed" if appointed else "cadres/email/officer_ended",
        context={
            "name": selectors.person_name(assignment.user),
            "position": Position(assignment.position).label,
            "forum": assignment.region.name,
            "ends_on": assignment.ends_on,
        },
    )


def _close_lapsed_term(forum: Forum, user: User, position: str) -> None:
    """Close the appointee's earlier term in this position that ended by its date.

    Such a term no longer counts as current, but stays marked active until someone ends it,
    and the database allows one active row per person, role, region and position: without
    this, a re-elected officer could not be appointed again until staff ended the old term.
    """
    lapsed = RoleAssignment.objects.select_for_update().filter(
        user=user,
        role=Role.FORUM_OFFICER,
        region=forum.region,
        position=position,
        is_active=True,
        ends_on__lt=timezone.localdate(),
    )
    for assignment in lapsed:
        account_services.revoke_role(actor=None, assignment=assignment)
        ForumEvent.objects.create(
            forum=forum, actor=None, kind=Kind.OFFICER_ENDED, subject=user, before=position
        )


def end_officer_term(
    *, actor: Actor, assignment: RoleAssignment, token: UUID | None = None
) -> RoleAssignment:
    """End an officer's term today; the assignment stays as the record of who held it."""
    forum = Forum(region_id=assignment.region_id)
    with transaction.atomic():
        locked = _lock(forum)
        _check_form(actor, token)  # a double tap: the first post did it
        # No actor: the system, ending the term of a person whose data is being deleted.
        if actor is not None and not selectors.may_shape(actor, locked.region):
            raise DomainError(
                _("You may not end the terms of officers of %(forum)s.")
                % {"forum": locked.region.name}
            )
        current = (
            selectors.current_officers()
            .select_for_update()
            .filter(pk=assignment.pk, region=locked.region)
            .first()
        )
        if current is None:
            raise DomainError(_("This term has already ended."))
        ended = account_services.revoke_role(actor=None, assignment=current)
        ForumEvent.objects.create(
            forum=locked,
            actor=actor,
            kind=Kind.OFFICER_ENDED,
            subject_id=ended.user_id,
            before=ended.position,
            token=token,
        )
        if actor is not None:  # the system ends the term of a person it is forgetting
            mail.later(tell_officer, ended.pk, False)
    return ended


def add_member(
    *, actor: Actor, forum: Forum, profile: CadreProfile, token: UUID | None = None
) -> ForumMember:
    with transaction.atomic():
        locked = _lock(forum)
        _check_form(actor, token)  # a double tap: the first post did it
        region = locked.region
        _check_members_manager(actor, region)
        profile = CadreProfile.objects.get(pk=profile.pk)
        if not selectors.is_in_area(profile, region):
            raise DomainError(
                _("Members are verified cadres of %(forum)s.") % {"forum": region.name}
            )
        if ForumMember.objects.current().filter(forum=locked, profile=profile).exists():
            raise DomainError(_("%(name)s is already a member.") % {"name": profile.full_name})
        try:
            with transaction.atomic():
                member = ForumMember.objects.create(forum=locked, profile=profile)
        except IntegrityError:  # the constraint: one current membership per cadre and forum
            raise DomainError(
                _("%(name)s is already a member.") % {"name": profile.full_name}
            ) from None
        ForumEvent.objects.create(
            forum=locked,
            actor=actor,
            kind=Kind.MEMBER_ADDED,
            subject_id=profile.user_id,
            token=token,
        )
    return member


def remove_member(
    *, actor: Actor, forum: Forum, profile: CadreProfile, token: UUID | None = None
) -> ForumMember:
    """End a cadre's membership today (the row stays, with its dates)."""
    with transaction.atomic():
        locked = _lock(forum)
        _check_form(actor, token)  # a double tap: the first post did it
        if actor is not None:  # None: the system (see end_officer_term)
            _check_members_manager(actor, locked.region)
        member = (
            ForumMember.objects.current()
            .select_for_update()
            .filter(forum=locked, profile_id=profile.pk)
            .first()
        )
        if member is None:
            raise DomainError(_("This cadre is not a member of the forum."))
        member.ended_on = timezone.localdate()
        member.save(update_fields=["ended_on"])
        ForumEvent.objects.create(
            forum=locked,
            actor=actor,
            kind=Kind.MEMBER_REMOVED,
            subject_id=profile.user_id,
            token=token,
        )
    return member


def event_of_form(actor: Actor, token: UUID | None) -> ForumEvent | None:
    """The change a form with `token` already made, or None; a token of somebody else's
    form is refused."""
    if token is None:
        return None
    event = ForumEvent.objects.filter(token=token).first()
    if event is not None and event.actor_id != getattr(actor, "pk", None):
        raise DomainError(_("This form was already used. Reload the page and try again."))
    return event


def _check_form(actor: Actor, token: UUID | None) -> None:
    """Under the forum's lock: the same form posted at the same moment waited for it."""
    event = event_of_form(actor, token)
    if event is not None:
        raise AlreadyDone(done_message(event))


def done_message(event: ForumEvent) -> str:
    return _("Done: %(what)s.") % {"what": Kind(event.kind).label}


def _check_forum_region(region: Region) -> None:
    if region.level not in selectors.FORUM_LEVELS:
        raise DomainError(_("Only a kecamatan or a kelurahan has a forum."))
    if not region.is_active:
        raise DomainError(_("%(region)s is no longer an active region.") % {"region": region.name})


def _lock(forum: Forum) -> Forum:
    """The forum row, created on its first change, locked until the transaction ends."""
    region = Region.objects.get(pk=forum.region_id)
    _check_forum_region(region)
    Forum.objects.get_or_create(region=region)
    return Forum.objects.select_for_update(of=("self",)).select_related("region").get(pk=region.pk)


def _check_members_manager(actor: Actor, region: Region) -> None:
    if not selectors.may_manage_members(actor, region):
        raise DomainError(
            _("You may not change the members of %(forum)s.") % {"forum": region.name}
        )


def _position(value: str) -> Position:
    try:
        return Position(value)
    except ValueError:
        raise DomainError(_("Choose one of the forum's positions.")) from None
