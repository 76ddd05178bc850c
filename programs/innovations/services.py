"""Writes on innovations: recorded by a cadre, published by the kecamatan forum, channelled to
the provincial programme by the city, with their photos."""

from collections.abc import Iterable
from functools import partial
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import services as cadre_services
from cadres.models import CadreProfile, Field
from forkom import scope
from forkom.accounts import services as account_services
from forkom.accounts.models import Role
from forkom.errors import BadInput, DomainError, MayNot
from forkom.scope import Actor
from forkom.territory.codes import ancestor_at
from forkom.territory.models import Region
from programs import selectors as proposal_selectors
from programs.innovations import selectors
from programs.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_PHOTOS,
    Attachment,
    Innovation,
    InnovationEvent,
    InnovationPhoto,
    Proposal,
)
from programs.services import (
    check_lengths,
    made_by_form,
    made_meanwhile,
    picture_problem,
    sniff_content_type,
    verified_profile,
)

State = Proposal.State


def record_innovation(
    *,
    actor: Actor,
    title: str,
    description: str,
    kelurahan: Region,
    results: str,
    impact: str,
    field: Field | None = None,
    cadres: Iterable[CadreProfile] = (),
    proposal: Proposal | None = None,
    token: UUID | None = None,
) -> Innovation:
    """A verified cadre records what their community made or changed, for an officer to
    publish. `proposal` is one of the cadre's own (or team) proposals it came from; `token`
    the form's one-time key: posted again, the form gets the innovation it recorded."""
    profile = verified_profile(actor, _("Only a verified cadre can do this."))
    own_records = Innovation.objects.filter(recorded_by=profile)
    if made := made_by_form(own_records, token):
        return made
    texts = {
        "title": title,
        "description": description,
        "results": results,
        "impact": impact,
    }
    texts = {name: (value or "").strip() for name, value in texts.items()}
    if not all(texts.values()):
        raise BadInput(_("Fill in every required part of the innovation."))
    check_lengths(Innovation, texts, texts)
    _check_area(profile, kelurahan)
    for cadre in cadres:
        if (
            cadre.status != CadreProfile.Status.VERIFIED
            or cadre.kelurahan.parent_id != profile.kelurahan.parent_id
        ):
            raise BadInput(_("The cadres behind it are verified cadres of your kecamatan."))
    if proposal is not None and not proposal_selectors.is_proposer_or_team(actor, proposal):
        raise MayNot(_("Link only a proposal you made or work on."))
    try:
        with transaction.atomic():
            # It points at her profile: the profile before the account, as forgetting.
            cadre_services.lock_acting_cadre(actor)
            innovation = Innovation.objects.create(
                recorded_by=profile,
                kelurahan=kelurahan,
                field=field,
                proposal=proposal,
                token=token,
                **texts,
            )
            innovation.cadres.set(cadres)
            _record_innovation_event(
                innovation, actor=actor, role=Role.CADRE, kind=InnovationEvent.Kind.RECORDED
            )
    except IntegrityError:
        if token is None:
            raise
        return made_meanwhile(own_records, token)
    return innovation


def publish_innovation(*, actor: Actor, innovation: Innovation, note: str = "") -> Innovation:
    """An officer of the forum of the innovation's area puts it in the public gallery."""
    note = _checked_note(note)
    with transaction.atomic():
        locked = _lock_innovation(innovation)
        if not scope.can_act(actor, locked.kelurahan_id, {Role.FORUM_OFFICER}):
            raise MayNot(_("Only an officer of the forum of this area may publish it."))
        if selectors.is_own_innovation(actor, locked):
            raise MayNot(_("You may not publish an innovation you are part of."))
        if not locked.can_be_published():
            raise DomainError(_("This innovation is already published."))
        locked.state = Innovation.State.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        _record_innovation_event(
            locked,
            actor=actor,
            role=Role.FORUM_OFFICER,
            kind=InnovationEvent.Kind.PUBLISHED,
            note=note,
        )
    return locked


def channel_innovation(*, actor: Actor, innovation: Innovation, note: str = "") -> Innovation:
    """The Koordinator Kota channels a published innovation to the provincial programme."""
    note = _checked_note(note)
    with transaction.atomic():
        locked = _lock_innovation(innovation)
        if not scope.can_act(actor, ancestor_at(locked.kelurahan_id, 2), {Role.CITY_COORDINATOR}):
            raise MayNot(_("Only the Koordinator Kota may channel it to the province."))
        if not locked.is_published():
            raise DomainError(_("Publish the innovation before channelling it."))
        if locked.channelled_at is not None:
            raise DomainError(_("This innovation is already channelled to the province."))
        locked.channelled_at = timezone.now()
        locked.save(update_fields=["channelled_at"])
        _record_innovation_event(
            locked,
            actor=actor,
            role=Role.CITY_COORDINATOR,
            kind=InnovationEvent.Kind.CHANNELLED,
            note=note,
        )
    return locked


def attach_photo(
    *,
    actor: Actor,
    innovation: Innovation,
    upload: UploadedFile,
    caption: str = "",
    token: UUID | None = None,
) -> InnovationPhoto:
    """The cadre who recorded it adds a JPEG or PNG photo (at most 5) before publication.

    The same form posted again (its `token`) gets the photo it added the first time."""
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise BadInput(_("A file may be at most 5 MB."))
    content_type = sniff_content_type(upload)
    if content_type not in (Attachment.ContentType.JPEG, Attachment.ContentType.PNG):
        raise BadInput(_("Only JPEG and PNG photos can be added."))
    if problem := picture_problem(upload, content_type):
        raise BadInput(problem)
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock_innovation(innovation)
        if locked.recorded_by.user_id != actor.pk:
            raise MayNot(_("Only the cadre who recorded it may do this."))
        if made := made_by_form(locked.photos, token):
            return made
        if not locked.can_be_published():
            raise DomainError(_("Photos are added before the innovation is published."))
        if locked.photos.count() >= MAX_PHOTOS:
            raise DomainError(
                _("An innovation has at most %(count)d photos.") % {"count": MAX_PHOTOS}
            )
        photo = InnovationPhoto(
            innovation=locked,
            caption=(caption or "").strip()[:200],
            content_type=content_type,
            size=size,
            token=token,
        )
        photo.file.save(upload.name or "foto", upload, save=False)
        try:
            photo.save()
        except IntegrityError:
            photo.file.delete(save=False)
            raise DomainError(_("This form was already sent. Reload the page.")) from None
        except Exception:
            photo.file.delete(save=False)
            raise
    return photo


def remove_photo(*, actor: Actor, photo: InnovationPhoto) -> None:
    with transaction.atomic():
        locked = _lock_innovation(photo.innovation)
        if locked.recorded_by.user_id != actor.pk:
            raise MayNot(_("Only the cadre who recorded it may do this."))
        if not locked.can_be_published():
            raise DomainError(_("Photos are added before the innovation is published."))
        stored = photo.file.name
        deleted, _rows = InnovationPhoto.objects.filter(pk=photo.pk).delete()
        if deleted and stored:
            transaction.on_commit(partial(photo.file.storage.delete, stored))


def _checked_note(note: str | None) -> str:
    note = (note or "").strip()
    check_lengths(InnovationEvent, {"note": note}, ["note"])
    return note


def _check_area(profile: CadreProfile, kelurahan: Region) -> None:
    if (
        not isinstance(kelurahan, Region)
        or kelurahan.level != Region.Level.DESA_KELURAHAN
        or not kelurahan.is_active
        or kelurahan.parent_id != profile.kelurahan.parent_id
    ):
        raise BadInput(_("Choose a kelurahan of your own kecamatan."))


def _lock_innovation(innovation: Innovation) -> Innovation:
    return (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("recorded_by")
        .get(pk=innovation.pk)
    )


def _record_innovation_event(
    innovation: Innovation, *, actor: Actor, role: str, kind: str, note: str = ""
) -> InnovationEvent:
    try:
        with transaction.atomic():
            return InnovationEvent.objects.create(
                innovation=innovation,
                actor=actor,
                actor_name=proposal_selectors.person_name(actor),
                actor_role=role,
                kind=kind,
                note=(note or "").strip(),
            )
    except IntegrityError:
        raise DomainError(_("This was already done.")) from None
