"""Writes on proposals: drafting, every move up the chain, comments and attachments.

Each move locks the proposal row, checks who acts (through forkom.scope) and the current
state, records a ProposalEvent and, once committed, emails those concerned. A move asked
for by a form carries that form's one-time `token`: the same form posted twice finds the
event of the first post and changes nothing more.
"""

from collections.abc import Iterable
from functools import partial
from pathlib import PurePath
from typing import Any
from uuid import UUID, uuid5

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Manager, Model, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from PIL import Image

from cadres import services as cadre_services
from cadres.models import CadreProfile
from forkom import mail, scope
from forkom.accounts import services as account_services
from forkom.accounts.models import Role
from forkom.errors import BadInput, DomainError, MayNot
from forkom.scope import Actor
from forkom.templatetags.forkom import rupiah
from forkom.territory.models import Region
from programs import notifications, selectors
from programs.models import (
    FORWARD,
    MAX_ADDITIONAL_DOCUMENTS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_BENEFICIARIES,
    MAX_RUPIAH,
    PROGRAMME_YEARS,
    REVIEW_STATES,
    WITHDRAWABLE_STATES,
    AidKind,
    Attachment,
    Comment,
    Proposal,
    ProposalAid,
    ProposalEvent,
)

State = Proposal.State

# What a proposal asks for: (kind of aid, amount in Rupiah or None, note).
Aid = tuple[str, int | None, str]


DETAIL_TEXTS = (
    "title",
    "summary",
    "problem",
    "needs",
    "resources",
    "goals",
    "activities",
    "target_group",
)
DETAIL_FIELDS = (
    *DETAIL_TEXTS,
    "beneficiaries",
    "location",
    "field",
    "starts_on",
    "ends_on",
    "budget",
)
# The first bytes of each accepted kind of file: the name says nothing about the content.
SIGNATURES = (
    (b"%PDF-", Attachment.ContentType.PDF),
    (b"\xff\xd8\xff", Attachment.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Attachment.ContentType.PNG),
)
EXTENSIONS = {
    Attachment.ContentType.PDF: ".pdf",
    Attachment.ContentType.JPEG: ".jpg",
    Attachment.ContentType.PNG: ".png",
}
MAX_COMMENT_LENGTH = 2000


# Drafting ------------------------------------------------------------------------------


def create_draft(
    *,
    actor: Actor,
    aids: Iterable[Aid],
    team: Iterable[CadreProfile] = (),
    token: UUID | None = None,
    **details: Any,
) -> Proposal:
    """A verified cadre starts a proposal for a kelurahan of their kecamatan.

    `aids` holds (kind, amount, note) triples: what the proposal asks for. `details` are
    the proposal's fields (DETAIL_FIELDS). `token` is the form's one-time key: posted again,
    the form gets the draft it made the first time.
    """
    profile = verified_profile(actor, _("Only a verified cadre can propose a programme."))
    own_drafts = Proposal.objects.filter(proposer=profile)
    if made := made_by_form(own_drafts, token):
        return made
    details = _checked_details(profile, details, aids, team, complete=False)
    try:
        with transaction.atomic():
            # The draft points at her profile: the profile before the account, as forgetting.
            cadre_services.lock_acting_cadre(actor)
            proposal = Proposal.objects.create(
                proposer=profile,
                state=State.DRAFT,
                state_changed_at=timezone.now(),
                token=token,
                **details,
            )
            _set_aids(proposal, aids)
            proposal.team.set(team)
            _record(proposal, actor=actor, role=Role.CADRE, from_state="", note="", token=None)
    except IntegrityError:
        if token is None:
            raise
        # The same form, posted at the same moment, made its draft first.
        return made_meanwhile(own_drafts, token)
    return proposal


def update_draft(
    *,
    actor: Actor,
    proposal: Proposal,
    aids: Iterable[Aid],
    team: Iterable[CadreProfile] = (),
    **details: Any,
) -> Proposal:
    """The proposer changes a draft, or a proposal returned for revision."""
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock(proposal)
        _check_proposer(actor, locked)
        if not locked.is_editable():
            raise DomainError(_("Only a draft or a returned proposal can be changed."))
        details = _checked_details(
            locked.proposer, details, aids, team, complete=locked.state != State.DRAFT
        )
        for name, value in details.items():
            setattr(locked, name, value)
        locked.save()
        locked.aids.all().delete()
        _set_aids(locked, aids)
        locked.team.set(team)
    return locked


def _checked_details(
    profile: CadreProfile,
    details: dict[str, Any],
    aids: Iterable[Aid],
    team: Iterable[CadreProfile],
    *,
    complete: bool,
) -> dict[str, Any]:
    """The proposal's parts, checked. A draft (`complete` False) may leave any part but its
    title empty; what it gives is checked all the same. A returned proposal being revised
    stays complete: it has been in front of a reviewer."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown proposal fields: {', '.join(sorted(unknown))}")
    details = {name: details.get(name) for name in DETAIL_FIELDS}
    details["resources"] = details["resources"] or ""
    for name in ("title", "summary", "problem", "needs", "goals", "activities", "target_group"):
        details[name] = (details[name] or "").strip()
    if not details["title"]:
        raise BadInput(_("Give the proposal a title."))
    check_lengths(Proposal, details, DETAIL_TEXTS)
    location = details["location"]
    if location is not None and (
        not isinstance(location, Region)
        or location.level != Region.Level.DESA_KELURAHAN
        or not location.is_active
        or location.parent_id != profile.kelurahan.parent_id
    ):
        raise BadInput(_("Choose a kelurahan of your own kecamatan."))
    first, last = PROGRAMME_YEARS
    for name in ("starts_on", "ends_on"):
        if details[name] is not None and not first <= details[name].year <= last:
            raise BadInput(
                _("A programme runs between the years %(first)d and %(last)d.")
                % {"first": first, "last": last}
            )
    if details["starts_on"] and details["ends_on"] and details["ends_on"] < details["starts_on"]:
        raise BadInput(_("The programme cannot end before it starts."))
    if details["budget"] is not None and details["budget"] < 0:
        raise BadInput(_("The budget is a whole number of Rupiah, zero or more."))
    if details["budget"] is not None and details["budget"] > MAX_RUPIAH:
        raise BadInput(_("The budget is at most %(limit)s.") % {"limit": rupiah(MAX_RUPIAH)})
    if details["beneficiaries"] is not None and details["beneficiaries"] < 0:
        raise BadInput(_("Give the number of beneficiaries."))
    if details["beneficiaries"] is not None and details["beneficiaries"] > MAX_BENEFICIARIES:
        raise BadInput(
            _("The number of beneficiaries is at most %(limit)s.")
            % {"limit": number_format(MAX_BENEFICIARIES, 0, force_grouping=True)}
        )
    aids = list(aids)
    kinds = [kind for kind, _amount, _note in aids]
    if len(set(kinds)) != len(kinds) or not set(kinds) <= set(AidKind.values):
        raise BadInput(_("Each kind of help is asked for once."))
    if any(amount is not None and amount < 0 for _kind, amount, _note in aids):
        raise BadInput(_("An amount is a whole number of Rupiah, zero or more."))
    if any(amount is not None and amount > MAX_RUPIAH for _kind, amount, _note in aids):
        raise BadInput(_("An amount is at most %(limit)s.") % {"limit": rupiah(MAX_RUPIAH)})
    for _kind, _amount, note in aids:
        check_lengths(ProposalAid, {"note": (note or "").strip()}, ["note"])
    for member in team:
        if (
            member.pk == profile.pk
            or member.status != CadreProfile.Status.VERIFIED
            or member.kelurahan.parent_id != profile.kelurahan.parent_id
        ):
            raise BadInput(_("Team members are other verified cadres of your kecamatan."))
    if complete:
        missing = _missing(details, has_aids=bool(kinds))
        if missing:
            raise BadInput(_still_missing(missing))
    return details


# What a proposal needs before it is submitted, in the form's order.
REQUIRED_PARTS = ("summary", "problem", "needs", "goals", "activities", "target_group",
                  "beneficiaries", "location", "starts_on", "ends_on", "budget")  # fmt: skip


def _missing_names(details: dict[str, Any], *, has_aids: bool) -> list[str]:
    """The parts still needed before submitting, as field names ("aids": no kind of help)."""
    names = [name for name in REQUIRED_PARTS if details.get(name) in (None, "")]
    return names if has_aids else [*names, "aids"]


def _missing(details: dict[str, Any], *, has_aids: bool) -> list[str]:
    return [
        str(_("what the proposal asks for (at least one kind of help)"))
        if name == "aids"
        else str(capfirst(getattr(Proposal._meta.get_field(name), "verbose_name", name)))
        for name in _missing_names(details, has_aids=has_aids)
    ]


def _still_missing(labels: list[str]) -> str:
    return _("Before it is submitted, the proposal still needs: %(parts)s.") % {
        "parts": ", ".join(labels)
    }


def missing_parts(proposal: Proposal, *, has_aids: bool | None = None) -> list[str]:
    """The parts a draft still lacks before it can be submitted (labels, in form order);
    `has_aids` when the caller has read the aids already."""
    details = {name: getattr(proposal, name) for name in REQUIRED_PARTS}
    if has_aids is None:
        has_aids = proposal.aids.exists()
    return _missing(details, has_aids=has_aids)


def missing_fields(proposal: Proposal) -> set[str]:
    """The same parts as missing_parts, as the form's field names ("aids" for the help asked
    for): what the proposal form's steps are ticked by."""
    details = {name: getattr(proposal, name) for name in REQUIRED_PARTS}
    return set(_missing_names(details, has_aids=proposal.aids.exists()))


def missing_from(details: dict[str, Any]) -> set[str]:
    """missing_fields of the parts as a form gives them (proposal_details), before they are
    saved: what a refused form's steps are ticked by."""
    return set(_missing_names(details, has_aids=bool(details.get("aids"))))


def check_lengths(model: type[Model], values: dict[str, Any], names: Iterable[str]) -> None:
    """Refuse a text longer than its field takes (the forms say so first)."""
    for name in names:
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if limit is not None and len(values[name]) > limit:
            label = str(getattr(field, "verbose_name", name))
            raise BadInput(
                _("“%(field)s” has at most %(count)d characters.")
                % {"field": capfirst(label), "count": limit}
            )


def made_by_form[M: Model](queryset: QuerySet[M] | Manager[M], token: UUID | None) -> M | None:
    """The row of `queryset` this very form already made (a double tap, a reload), or None."""
    return queryset.filter(token=token).first() if token else None


def made_meanwhile[M: Model](queryset: QuerySet[M] | Manager[M], token: UUID | None) -> M:
    """After an insert refused for its token: the row the same form made meanwhile, found
    once the other post committed. A token of somebody else's form is refused."""
    made = made_by_form(queryset, token)
    if made is None:
        raise DomainError(_("This form was already sent. Reload the page."))
    return made


def _set_aids(proposal: Proposal, aids: Iterable[Aid]) -> None:
    ProposalAid.objects.bulk_create(
        ProposalAid(proposal=proposal, kind=kind, amount=amount, note=(note or "").strip())
        for kind, amount, note in aids
    )


# Moves ---------------------------------------------------------------------------------


def submit_proposal(
    *, actor: Actor, proposal: Proposal, note: str = "", token: UUID | None = None
) -> Proposal:
    """The proposer sends a draft, or a revised returned proposal, to the kecamatan forum."""
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock(proposal)
        if _already_done(locked, actor, token):
            return locked
        _check_proposer(actor, locked)
        if not locked.can_be_submitted():
            raise _moved_on(locked)
        if locked.proposer.status != CadreProfile.Status.VERIFIED:
            raise MayNot(_("Only a verified cadre can propose a programme."))
        missing = missing_parts(locked)
        if missing:
            raise BadInput(_still_missing(missing))
        if locked.first_submitted_at is None:
            locked.first_submitted_at = timezone.now()
        _change_state(locked, actor, Role.CADRE, State.SUBMITTED, note, token)
    return locked


def recommend_proposal(
    *, actor: Actor, proposal: Proposal, note: str = "", token: UUID | None = None
) -> Proposal:
    """An officer of the kecamatan forum recommends a submitted proposal to the kota."""
    return _review(actor, proposal, {State.SUBMITTED}, FORWARD[State.SUBMITTED], note, token)


def escalate_proposal(
    *, actor: Actor, proposal: Proposal, note: str = "", token: UUID | None = None
) -> Proposal:
    """The Koordinator Kota takes a recommended proposal to the provincial programme."""
    return _review(actor, proposal, {State.RECOMMENDED}, FORWARD[State.RECOMMENDED], note, token)


def accept_proposal(
    *, actor: Actor, proposal: Proposal, note: str = "", token: UUID | None = None
) -> Proposal:
    """Dinas staff of the province accept an escalated proposal into the programme."""
    return _review(actor, proposal, {State.ESCALATED}, FORWARD[State.ESCALATED], note, token)


def return_proposal(
    *, actor: Actor, proposal: Proposal, note: str, token: UUID | None = None
) -> Proposal:
    """The reviewer of the current step sends the proposal back to the proposer to revise."""
    note = _required_note(note, _("Say what should be revised: the proposer reads it."))
    return _review(actor, proposal, set(REVIEW_STATES), State.RETURNED, note, token)


def decline_proposal(
    *, actor: Actor, proposal: Proposal, note: str, token: UUID | None = None
) -> Proposal:
    """The reviewer of the current step declines the proposal, with the reason."""
    note = _required_note(note, _("Give the reason for declining: the proposer reads it."))
    return _review(actor, proposal, set(REVIEW_STATES), State.DECLINED, note, token)


def withdraw_proposal(
    *, actor: Actor, proposal: Proposal, reason: str, token: UUID | None = None
) -> Proposal:
    """The proposer withdraws the proposal before a decision, saying why."""
    reason = _required_note(reason, _("Say why you withdraw the proposal."))
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock(proposal)
        if _already_done(locked, actor, token):
            return locked
        _check_proposer(actor, locked)
        if locked.state == State.DRAFT:
            raise DomainError(
                _("A draft that was never submitted is not withdrawn: discard it instead.")
            )
        if locked.state not in WITHDRAWABLE_STATES:
            raise _moved_on(locked)
        _change_state(locked, actor, Role.CADRE, State.WITHDRAWN, reason, token)
    return locked


def discard_draft(*, actor: Actor, proposal: Proposal) -> None:
    """The proposer deletes a draft that was never submitted, with its files: no reviewer
    has seen it, so nothing of it is kept (a submitted proposal is withdrawn instead)."""
    with transaction.atomic():
        locked = _lock(proposal)
        _check_proposer(actor, locked)
        if not locked.can_be_discarded():
            raise DomainError(
                _("Only a draft can be discarded; this proposal is now “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        _discard(locked, locked.proposer.full_name)


def discard_drafts_of_forgotten(user: Any) -> None:
    """The drafts of a person whose data is being deleted go with it, as if they had
    discarded them: no reviewer has seen one, and the words are theirs alone. Their team
    members are told, without the name. Runs in the forgetting's transaction, which holds
    the person's profile, so that no draft of theirs is written meanwhile."""
    drafts = Proposal.objects.filter(proposer__user=user, state=State.DRAFT)
    for draft in drafts.select_for_update(of=("self",)).order_by("pk"):
        _discard(draft, proposer_name="", forgotten=True)


def _discard(draft: Proposal, proposer_name: str, *, forgotten: bool = False) -> None:
    """Delete `draft` (locked) with its files; once committed, its team is told."""
    team = list(draft.team.values_list("user_id", flat=True))
    title = draft.title
    delete_with_files(draft.attachments.all())
    draft.delete()
    if team:
        mail.later(notifications.draft_discarded, title, proposer_name, team, forgotten)


def delete_with_files(uploads: QuerySet[Any]) -> None:
    """Delete `uploads` (attachments, innovation photos) and, once the transaction commits,
    their stored files: a rollback keeps them, and a file that cannot be removed is logged,
    never undoes the deletion."""
    storage = uploads.model._meta.get_field("file").storage
    stored = [name for name in uploads.values_list("file", flat=True) if name]
    uploads.delete()
    for name in stored:
        transaction.on_commit(partial(storage.delete, name), robust=True)


def _review(
    actor: Actor,
    proposal: Proposal,
    from_states: set[str],
    to_state: str,
    note: str,
    token: UUID | None,
) -> Proposal:
    with transaction.atomic():
        locked = _lock(proposal)
        if _already_done(locked, actor, token):
            return locked
        may_review = {state for state in from_states if _may_review(actor, locked, state)}
        if not may_review:
            raise MayNot(_("You may not decide on this proposal."))
        if selectors.is_proposer_or_team(actor, locked):
            raise MayNot(_("You may not decide on a proposal you are part of."))
        if locked.state not in may_review:
            if locked.state in REVIEW_STATES and all(
                REVIEW_STATES.index(state) > REVIEW_STATES.index(locked.state)
                for state in may_review
            ):
                raise DomainError(
                    _("The proposal has not reached your step yet: it is now “%(state)s”.")
                    % {"state": locked.get_state_display()}
                )
            raise _moved_on(locked)
        role, _code = locked.reviewer()
        _change_state(locked, actor, role, to_state, note, token)
    return locked


def _may_review(actor: Actor, proposal: Proposal, state: str) -> bool:
    role, code = proposal.reviewer(state)
    return scope.can_act(actor, code, {role})


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("proposer", "location")
        .get(pk=proposal.pk)
    )


def _already_done(proposal: Proposal, actor: Actor, token: UUID | None) -> bool:
    """Whether this very form was already posted (double click, reload): nothing to do."""
    return bool(
        token
        and ProposalEvent.objects.filter(
            proposal=proposal, actor_id=actor.pk, token=token
        ).exists()
    )


def _check_proposer(actor: Actor, proposal: Proposal) -> None:
    if proposal.proposer.user_id != actor.pk:
        raise MayNot(_("Only the proposer may do this."))


def _moved_on(proposal: Proposal) -> DomainError:
    return DomainError(
        _("The proposal has moved on: it is now “%(state)s”.")
        % {"state": proposal.get_state_display()}
    )


def _required_note(note: str | None, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise BadInput(message)
    return note


def _change_state(
    proposal: Proposal, actor: Actor, role: str, to_state: str, note: str, token: UUID | None
) -> None:
    from_state = proposal.state
    proposal.state = to_state
    proposal.returned_from = from_state if to_state == State.RETURNED else ""
    proposal.state_changed_at = timezone.now()
    proposal.save(
        update_fields=[
            "state",
            "returned_from",
            "state_changed_at",
            "first_submitted_at",
            "updated_at",
        ]
    )
    _record(proposal, actor=actor, role=role, from_state=from_state, note=note, token=token)


def _record(
    proposal: Proposal,
    *,
    actor: Actor,
    role: str,
    from_state: str,
    note: str,
    token: UUID | None,
) -> ProposalEvent:
    try:
        with transaction.atomic():
            event = ProposalEvent.objects.create(
                proposal=proposal,
                actor=actor,
                actor_name=selectors.display_name(actor, proposal),
                actor_role=role,
                before=from_state,
                after=proposal.state,
                note=(note or "").strip(),
                token=token,
            )
    except IntegrityError:
        raise DomainError(_("This form was already sent. Reload the page.")) from None
    mail.later(notifications.proposal_moved, event.pk)
    return event


# Discussion ----------------------------------------------------------------------------


def add_comment(
    *, actor: Actor, proposal: Proposal, body: str, token: UUID | None = None
) -> Comment | None:
    """Anyone who may see the proposal adds to its discussion."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment first."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("A comment has at most %(count)d characters.") % {"count": MAX_COMMENT_LENGTH}
        )
    if not selectors.visible_proposals(actor).filter(pk=proposal.pk).exists():
        raise MayNot(_("You may not take part in this discussion."))
    if token and Comment.objects.filter(proposal=proposal, author=actor, token=token).exists():
        return None
    try:
        with transaction.atomic():
            # Their name and words: never written once the person is forgotten.
            account_services.lock_open_account(actor)
            return Comment.objects.create(
                proposal=proposal,
                author=actor,
                author_name=selectors.display_name(actor, proposal),
                author_role=selectors.role_on(actor, proposal),
                body=body,
                token=token,
            )
    except IntegrityError:
        raise DomainError(_("This form was already sent. Reload the page.")) from None


# Attachments ---------------------------------------------------------------------------


def sniff_content_type(upload: File) -> str | None:
    """The type of an uploaded file from its first bytes, or None if it is not accepted."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


# A picture is at most this many pixels (8000 x 5000, more than any phone saves by default):
# a PNG of 20,000 x 20,000 weighs 1 MB and 1.2 GB once decoded, which a cheap phone showing
# the gallery cannot hold (found by a walk through the demo site).
MAX_PICTURE_PIXELS = 40_000_000
# What Pillow raises on a picture it cannot read: damaged, cut short, a bomb.
_UNREADABLE_PICTURE = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    Image.DecompressionBombError,
)


def picture_problem(upload: File, content_type: str | None) -> str | None:
    """Why a JPEG or PNG cannot be taken (too many pixels, damaged), or None; the first
    bytes said only what kind of file it claims to be. Other files pass."""
    if content_type not in (Attachment.ContentType.JPEG, Attachment.ContentType.PNG):
        return None
    upload.seek(0)
    try:
        with Image.open(upload) as picture:
            width, height = picture.size
            if width * height > MAX_PICTURE_PIXELS:
                return _(
                    "The picture is %(width)d x %(height)d pixels: at most 40 million "
                    "(such as 8000 x 5000). Save it smaller and attach it again."
                ) % {"width": width, "height": height}
            picture.verify()
    except _UNREADABLE_PICTURE:
        return _("The picture is damaged and cannot be shown. Save it again and attach it.")
    finally:
        upload.seek(0)
    return None


def attach_file(
    *, actor: Actor, proposal: Proposal, upload: UploadedFile, token: UUID | None = None
) -> Attachment:
    """The proposer attaches a PDF, JPEG or PNG of at most 5 MB.

    While the proposal is a draft or returned, at most 5 files, which can be removed again.
    Under review (submitted, recommended, escalated), at most 5 "additional documents":
    they stay, appear in the timeline, and the reviewers who hold the proposal are told.
    The same form posted again (its `token`) gets the file it attached the first time."""
    return _attach(actor=actor, proposal=proposal, upload=upload, token=token)[0]


def _attach(
    *, actor: Actor, proposal: Proposal, upload: UploadedFile, token: UUID | None
) -> tuple[Attachment, bool]:
    """attach_file, and whether it stored a new file (False: the form's repeat)."""
    size, name = upload.size or 0, upload.name or "lampiran"
    if size > MAX_ATTACHMENT_BYTES:
        raise BadInput(_("A file may be at most 5 MB."))
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise BadInput(_("Only PDF, JPEG and PNG files can be attached."))
    if problem := picture_problem(upload, content_type):
        raise BadInput(problem)
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock(proposal)
        # Under the row lock: a repeat posted at the same moment waits for the first.
        if made := made_by_form(locked.attachments.filter(uploaded_by=actor), token):
            return made, False
        _check_proposer(actor, locked)
        additional = locked.state in REVIEW_STATES
        if not (additional or locked.is_editable()):
            raise DomainError(
                _("Files can be attached while the proposal is a draft, returned or under review.")
            )
        limit = MAX_ADDITIONAL_DOCUMENTS if additional else MAX_ATTACHMENTS
        # Counted under the proposal's row lock, so two uploads at once cannot make six.
        if locked.attachments.filter(additional=additional).count() >= limit:
            raise DomainError(
                _("A proposal has at most %(count)d additional documents.") % {"count": limit}
                if additional
                else _("A proposal has at most %(count)d files.") % {"count": limit}
            )
        attachment = Attachment(
            proposal=locked,
            original_name=_clean_name(name, content_type),
            content_type=content_type,
            size=size,
            uploaded_by=actor,
            token=token,
            additional=additional,
        )
        attachment.file.save(name, upload, save=False)
        try:
            attachment.save()
        except IntegrityError:
            attachment.file.delete(save=False)
            raise DomainError(_("This form was already sent. Reload the page.")) from None
        except Exception:
            attachment.file.delete(save=False)
            raise
        if additional:
            mail.later(notifications.document_added, attachment.pk)
    return attachment, True


def save_draft(
    *,
    actor: Actor,
    proposal: Proposal | None = None,
    token: UUID | None = None,
    details: dict[str, Any],
    files: Iterable[UploadedFile] = (),
    remove: Iterable[Attachment] = (),
) -> Proposal:
    """One press of "Save the draft": the proposal's parts (a new draft when `proposal` is
    None), the files ticked for removal and the files chosen, all or nothing.

    Each file's form key is derived from the form's `token`, so the same form posted twice
    saves one draft with its files once. If anything is refused, no row is written and the
    files already stored by this call are deleted again."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            if proposal is None:
                proposal = create_draft(actor=actor, token=token, **details)
            else:
                proposal = update_draft(actor=actor, proposal=proposal, **details)
            for attachment in remove:
                if attachment.proposal_id != proposal.pk:
                    raise MayNot(_("This file belongs to another proposal."))
                remove_attachment(actor=actor, attachment=attachment)
            for number, upload in enumerate(files):
                file_token = uuid5(token, str(number)) if token else None
                attachment, new = _attach(
                    actor=actor, proposal=proposal, upload=upload, token=file_token
                )
                if new:
                    stored.append(attachment)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return proposal


def set_name_shown_publicly(*, actor: Actor, proposal: Proposal, shown: bool) -> Proposal:
    """The proposer agrees that the public programme list shows their name beside the
    proposal, or withdraws that consent (UU 27/2022: as easily as it was given). Only the
    proposer's own name: the team's members are never named in public."""
    with transaction.atomic():
        account_services.lock_open_account(actor)
        locked = _lock(proposal)
        _check_proposer(actor, locked)
        if shown != (locked.name_public_since is not None):
            locked.name_public_since = timezone.now() if shown else None
            locked.save(update_fields=["name_public_since", "updated_at"])
    return locked


def remove_attachment(*, actor: Actor, attachment: Attachment) -> None:
    """The proposer removes a file while the proposal is a draft or returned. An additional
    document, given to the reviewers, stays."""
    with transaction.atomic():
        locked = _lock(attachment.proposal)
        _check_proposer(actor, locked)
        if attachment.additional:
            raise DomainError(
                _("An additional document stays with the proposal: the reviewers have had it.")
            )
        if not locked.is_editable():
            raise DomainError(_("Files can be removed while the proposal is a draft or returned."))
        stored = attachment.file.name
        deleted, _rows = Attachment.objects.filter(pk=attachment.pk).delete()
        if deleted and stored:
            storage = attachment.file.storage
            transaction.on_commit(partial(storage.delete, stored))


def _clean_name(name: str, content_type: str) -> str:
    """The uploader's file name without folders, ending in the extension of its real type."""
    path = PurePath(name.replace("\\", "/")).name.strip() or "lampiran"
    extension = EXTENSIONS[Attachment.ContentType(content_type)]
    if not path.lower().endswith((extension, ".jpeg") if extension == ".jpg" else extension):
        path += extension
    return path[-200:]


def verified_profile(actor: Actor, message: str) -> CadreProfile:
    profile = (
        CadreProfile.objects.select_related("kelurahan").filter(user_id=actor.pk).first()
        if actor.is_authenticated
        else None
    )
    if profile is None or profile.status != CadreProfile.Status.VERIFIED:
        raise MayNot(message)
    return profile
