"""Writing announcements: draft, publish, edit, withdraw.

Each write locks the announcement's row (two officers of a forum may act on it at once),
checks that the actor speaks for its region, records an AnnouncementEvent, and on
publishing queues the delivery to the addressed inboxes: the request that publishes does
not wait for tens of thousands of notifications (cadres.tasks.deliver_announcement writes
them in one statement, measured in docs/performance.md).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import tasks
from cadres.announcements import selectors
from cadres.models import Announcement, AnnouncementEvent, Body
from forkom import scope
from forkom.errors import BadInput, DomainError, MayNot
from forkom.notifications import kinds
from forkom.notifications import services as notifications
from forkom.scope import Actor
from forkom.territory.models import Region

KIND = kinds.register("announcement", gettext_lazy("Announcements"), email_default=False)
State = Announcement.State

# What an announcement says; its address (region, bodies, officers only, audience) is fixed
# once published: the inboxes it reached were chosen by it.
CONTENT = ("title", "text", "link", "pinned")


def is_site_path(link: str) -> bool:
    """An address on this portal: a path from its root, never another host ("//", "\\")."""
    return link.startswith("/") and not link.startswith("//") and "\\" not in link


NOT_A_SITE_PATH = gettext_lazy("The link must be an address on this portal, starting with “/”.")


def _check_link(link: str) -> str:
    link = link.strip()
    if link and not is_site_path(link):
        raise BadInput(str(NOT_A_SITE_PATH))
    return link


def _check_address(actor: Actor, region: Region) -> None:
    if not selectors.may_speak_for(actor, region.code):
        raise MayNot(_("You do not speak for this area."))


def _check_author(actor: Actor, announcement: Announcement) -> None:
    if announcement.author_id != actor.pk or not selectors.may_speak_for(
        actor, announcement.region_id
    ):
        raise MayNot(_("Only its author may change this announcement."))


def create_draft(
    *,
    actor: Actor,
    region: Region,
    title: str,
    text: str,
    audience: str = Announcement.Audience.PUBLIC,
    bodies: Iterable[Body] = (),
    officers_only: bool = False,
    link: str = "",
    pinned: bool = False,
) -> Announcement:
    _check_address(actor, region)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            region=region,
            audience=audience,
            officers_only=officers_only,
            title=title,
            text=text,
            link=_check_link(link),
            pinned=pinned,
            author=actor,
            signed_as=scope.signed_as(actor, region),
        )
        announcement.bodies.set(list(bodies))
        AnnouncementEvent.objects.create(announcement=announcement, actor=actor, after=State.DRAFT)
    return announcement


def change(*, actor: Actor, announcement: Announcement, **fields: Any) -> Announcement:
    """Change a draft (anything), or a published announcement's content (marked "diubah")."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        _check_author(actor, locked)
        if locked.state == State.WITHDRAWN:
            raise DomainError(_("This announcement was withdrawn; it can no longer be changed."))
        allowed = set(CONTENT)
        if locked.state == State.DRAFT:
            allowed |= {"region", "audience", "officers_only", "bodies"}
        refused = set(fields) - allowed
        if refused:
            raise BadInput(_("Once published, an announcement's addressees cannot change."))
        bodies = fields.pop("bodies", None)
        if "region" in fields:
            _check_address(actor, fields["region"])
            locked.signed_as = scope.signed_as(actor, fields["region"])
        if "link" in fields:
            fields["link"] = _check_link(fields["link"])
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        if bodies is not None:
            locked.bodies.set(list(bodies))
        if locked.state == State.PUBLISHED and changed:
            locked.edited_at = timezone.now()
        locked.save()
        if changed or bodies is not None:
            AnnouncementEvent.objects.create(
                announcement=locked,
                actor=actor,
                before=locked.state,
                after=locked.state,
                note=", ".join(changed),
            )
    return locked


def publish(*, actor: Actor, announcement: Announcement) -> Announcement:
    """Publish a draft; its addressees find it in their inbox shortly after (a task)."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        _check_author(actor, locked)
        if locked.state != State.DRAFT:
            raise DomainError(_("This announcement is already published or withdrawn."))
        locked.state = State.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        AnnouncementEvent.objects.create(
            announcement=locked, actor=actor, before=State.DRAFT, after=State.PUBLISHED
        )
        tasks.deliver_announcement.enqueue(locked.pk)
    return locked


def withdraw(*, actor: Actor, announcement: Announcement, reason: str = "") -> Announcement:
    """Withdraw a published announcement (its author, or whoever speaks for its region)."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not (locked.author_id == actor.pk or selectors.may_speak_for(actor, locked.region_id)):
            raise MayNot(_("You do not speak for this area."))
        if locked.state != State.PUBLISHED:
            raise DomainError(_("Only a published announcement can be withdrawn."))
        locked.state = State.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.pinned = False
        locked.save(update_fields=["state", "withdrawn_at", "pinned"])
        AnnouncementEvent.objects.create(
            announcement=locked,
            actor=actor,
            before=State.PUBLISHED,
            after=State.WITHDRAWN,
            note=reason,
        )
    return locked


def deliver(announcement_id: int) -> int:
    """Write the announcement into its addressees' inboxes (the task's work). Delivering
    twice writes nothing twice; a withdrawn announcement is not delivered."""
    announcement = Announcement.objects.select_related("region").get(pk=announcement_id)
    if announcement.state != State.PUBLISHED:
        return 0
    written = notifications.tell_all(
        selectors.recipients(announcement),
        kind=KIND,
        subject=announcement.title,
        url=announcement.get_absolute_url(),
        key=f"announcement:{announcement.public_id}",
        template="cadres/email/announcement",
        context={"announcement": announcement},
    )
    if written:
        Announcement.objects.filter(pk=announcement.pk).update(
            delivered_to=F("delivered_to") + written
        )
    return written
