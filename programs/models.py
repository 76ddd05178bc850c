"""Programme proposals (usulan program) and the way they travel up to the province.

A verified cadre drafts a proposal for a kelurahan of their kecamatan; the kecamatan
forum recommends it, the Koordinator Kota escalates it, Dinas staff of the province
accept it. Every move is a ProposalEvent; the services in programs/services.py make them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import CadreProfile, Field
from forkom.accounts.models import Role
from forkom.choices import ChoiceLabels
from forkom.events import Event
from forkom.paths import path_to
from forkom.territory.codes import ancestor_at
from forkom.territory.models import Region

MAX_ATTACHMENTS = 5
# Documents the proposer adds while the proposal is under review: kept, never removed.
MAX_ADDITIONAL_DOCUMENTS = 5
MAX_PHOTOS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What a form may ask for: far beyond any real programme, well within what the columns hold.
MAX_BENEFICIARIES = 10_000_000
MAX_RUPIAH = 1_000_000_000_000
PROGRAMME_YEARS = (2000, 2100)
MAX_TEXT_LENGTH = 5000
MAX_NOTE_LENGTH = 2000


class AidKind(models.TextChoices):
    """What a proposal asks for."""

    TRAINING = "training", _("Training")
    GOVERNMENT = "government", _("Government aid")
    CSR = "csr", _("Private / CSR aid")
    BANK_LOAN = "bank_loan", _("Bank loan")
    MENTORING = "mentoring", _("Mentoring")


# Every part a proposal needs before it leaves its draft.
COMPLETE = (
    ~Q(summary="")
    & ~Q(problem="")
    & ~Q(needs="")
    & ~Q(goals="")
    & ~Q(activities="")
    & ~Q(target_group="")
    & Q(beneficiaries__isnull=False)
    & Q(location__isnull=False)
    & Q(starts_on__isnull=False)
    & Q(ends_on__isnull=False)
    & Q(budget__isnull=False)
)


class Proposal(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the kecamatan forum")
        RECOMMENDED = "recommended", _("Recommended by the kecamatan forum")
        ESCALATED = "escalated", _("Escalated to the province")
        ACCEPTED = "accepted", _("Accepted into the provincial programme")
        DECLINED = "declined", _("Declined")
        RETURNED = "returned", _("Returned for revision")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # URLs carry this opaque id, never a sequential key.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    proposer = models.ForeignKey(
        CadreProfile,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    team = models.ManyToManyField(
        CadreProfile,
        verbose_name=_("team members"),
        blank=True,
        related_name="team_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    # A draft may leave any part empty; submitting needs them all (COMPLETE below, and
    # services.missing_parts, which names what is missing).
    summary = models.TextField(_("summary"), max_length=MAX_TEXT_LENGTH, blank=True)
    problem = models.TextField(_("problem (masalah)"), max_length=MAX_TEXT_LENGTH, blank=True)
    needs = models.TextField(_("needs (kebutuhan)"), max_length=MAX_TEXT_LENGTH, blank=True)
    resources = models.TextField(
        _("resources already available (sumber daya)"), max_length=MAX_TEXT_LENGTH, blank=True
    )
    goals = models.TextField(_("goals"), max_length=MAX_TEXT_LENGTH, blank=True)
    activities = models.TextField(_("planned activities"), max_length=MAX_TEXT_LENGTH, blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    beneficiaries = models.PositiveIntegerField(
        _("number of beneficiaries"), null=True, blank=True
    )
    location = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Region.Level.DESA_KELURAHAN},
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("field of work"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    budget = models.BigIntegerField(_("budget (Rupiah)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # The review step that sent it back, so the proposer knows who asked for the revision.
    returned_from = models.CharField(
        _("returned from"), max_length=12, choices=State.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    # When it entered its current state: "waiting for me" lists are oldest first by it.
    state_changed_at = models.DateTimeField(_("last change of state"))
    # When the proposer agreed that the public programme list shows their name; None: it
    # shows no name (the default, and again once they withdraw the consent).
    name_public_since = models.DateTimeField(
        _("proposer's name shown publicly since"), null=True, blank=True
    )
    # The one-time key of the form that made it: posted twice, it finds this draft.
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-state_changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="proposal_budget_not_negative"
            ),
            models.UniqueConstraint(fields=["token"], name="proposal_token_once"),
            # Only a draft may be incomplete: nothing reaches a reviewer with a part missing.
            models.CheckConstraint(
                condition=Q(state="draft") | COMPLETE, name="proposal_complete_unless_draft"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="proposal_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="returned")
                    & Q(returned_from__in=["submitted", "recommended", "escalated"])
                )
                | (~Q(state="returned") & Q(returned_from="")),
                name="proposal_returned_from_iff_returned",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"], name="proposal_state_since"),
            models.Index(fields=["location", "state"], name="proposal_location_state"),
            # What waits for a reviewer: one state, the kelurahan codes under the region they
            # hold (forkom.scope.ancestor_q), a range of one index under any collation.
            models.Index(
                fields=["state", "location"],
                name="proposal_state_area",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # On PostgreSQL, also proposal_reviewed_area (migration 0009): the dashboards'
            # proposals per area and state, read from the index alone.
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("programs:detail", self.public_id)

    @property
    def kecamatan_code(self):
        return ancestor_at(self.location_id, 3)

    @property
    def kota_code(self):
        return ancestor_at(self.location_id, 2)

    @property
    def provinsi_code(self):
        return ancestor_at(self.location_id, 1)

    def reviewer(self, state=None):
        """The role that reviews the proposal in `state` (now, by default) and the region
        code it must be held over; None outside the review states."""
        step = REVIEW_STEPS.get(state or self.state)
        if step is None:
            return None
        role, level = step
        return role, ancestor_at(self.location_id, level)

    def is_editable(self):
        return self.state in EDITABLE_STATES

    def can_be_submitted(self):
        return self.state in EDITABLE_STATES

    def can_be_withdrawn(self):
        return self.state in WITHDRAWABLE_STATES

    def can_be_discarded(self):
        return self.state == State.DRAFT

    def is_under_review(self):
        return self.state in REVIEW_STATES


State = Proposal.State
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
REVIEW_STATES = (State.SUBMITTED, State.RECOMMENDED, State.ESCALATED)
# Withdrawn: taken back once a reviewer has had it. A draft never sent is discarded instead
# (services.discard_draft): nobody else has seen it, and it may still be incomplete.
WITHDRAWABLE_STATES = (State.RETURNED, *REVIEW_STATES)
# Who reviews a proposal in each state: a role held over the kecamatan (level 3), the kota
# (level 2) or the province (level 1) of its kelurahan.
REVIEW_STEPS = {
    State.SUBMITTED: (Role.FORUM_OFFICER, 3),
    State.RECOMMENDED: (Role.CITY_COORDINATOR, 2),
    State.ESCALATED: (Role.DINAS_STAFF, 1),
}
# The step forward from each review state.
FORWARD = {
    State.SUBMITTED: State.RECOMMENDED,
    State.RECOMMENDED: State.ESCALATED,
    State.ESCALATED: State.ACCEPTED,
}


class ProposalAid(ChoiceLabels, models.Model):
    """One kind of help a proposal asks for, with an amount or a note."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="aids"
    )
    kind = models.CharField(_("kind of help"), max_length=12, choices=AidKind.choices)
    amount = models.BigIntegerField(_("amount (Rupiah)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("help asked for")
        verbose_name_plural = _("help asked for")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="proposalaid_once_per_kind"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="proposalaid_amount_not_negative",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class ProposalEvent(Event):
    """A move of a proposal: who, as what, when, from, to, and the note they wrote.

    `token` is the one-time key of the form that asked for the move: the same form
    posted twice (a double click) finds its event and records nothing more.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events"
    )
    actor_role = models.CharField(_("as"), max_length=20, choices=Role.choices, blank=True)
    before = models.CharField(_("from"), max_length=12, choices=State.choices, blank=True)
    after = models.CharField(_("to"), max_length=12, choices=State.choices)
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta(Event.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="proposalevent_token_once"),
        ]

    def __str__(self):
        # The states by their labels, in the reader's language: an admin history row's title.
        return f"{self.proposal} {self.get_before_display() or '—'} → {self.get_after_display()}"


class Comment(ChoiceLabels, models.Model):
    """A message in the discussion between the proposer and the reviewers."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    author_name = models.CharField(_("name"), max_length=150, blank=True)
    author_role = models.CharField(_("as"), max_length=20, choices=Role.choices, blank=True)
    body = models.TextField(_("comment"), max_length=2000)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["token"], name="comment_token_once"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"


def attachment_path(attachment, filename):
    # A random name: the original name (which may carry personal data) stays in the database.
    return f"programs/{uuid.uuid4().hex}"


class Attachment(ChoiceLabels, models.Model):
    """A PDF, JPEG or PNG attached to a proposal, stored outside the static files.

    Served only through programs:attachment, which checks who may see the proposal.
    """

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=30, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)
    # Added after submission, while reviewers held the proposal: shown in the timeline and
    # never removed, so a reviewer's decision can be traced to what they were given.
    additional = models.BooleanField(_("additional document"), default=False, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES), name="attachment_at_most_5_mb"
            ),
            models.UniqueConstraint(fields=["token"], name="attachment_token_once"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return path_to("programs:attachment", self.proposal.public_id, self.public_id)


class Innovation(ChoiceLabels, models.Model):
    """What a community made or changed (inovasi), recorded by a cadre.

    An officer of the forum of its area publishes it in the public gallery; the Koordinator
    Kota may then channel it to the provincial programme.
    """

    class State(models.TextChoices):
        RECORDED = "recorded", _("Waiting for publication")
        PUBLISHED = "published", _("Published")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        CadreProfile,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_innovations",
    )
    cadres = models.ManyToManyField(
        CadreProfile,
        verbose_name=_("cadres behind it"),
        blank=True,
        related_name="innovations",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=MAX_TEXT_LENGTH)
    field = models.ForeignKey(
        Field,
        verbose_name=_("field of work"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.DESA_KELURAHAN},
    )
    results = models.TextField(_("results"), max_length=MAX_TEXT_LENGTH)
    impact = models.TextField(_("impact"), max_length=MAX_TEXT_LENGTH)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innovations",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECORDED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    channelled_at = models.DateTimeField(_("channelled to the province at"), null=True, blank=True)
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="published", published_at__isnull=False)
                | Q(state="recorded", published_at__isnull=True),
                name="innovation_published_at_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(channelled_at__isnull=True) | Q(state="published"),
                name="innovation_channelled_only_when_published",
            ),
            models.UniqueConstraint(fields=["token"], name="innovation_token_once"),
        ]
        indexes = [
            # The gallery's order to the last key: with published_at alone, innovations
            # published in the same instant were all read and sorted to show twelve.
            models.Index(
                fields=["state", "published_at", "id"], name="innovation_state_published"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("programs:innovation", self.public_id)

    def is_published(self):
        return self.state == self.State.PUBLISHED

    def can_be_published(self):
        return self.state == self.State.RECORDED

    def can_be_channelled(self):
        return self.is_published() and self.channelled_at is None


class InnovationEvent(Event):
    """Recorded, published, channelled to the province: who, when, and a note."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        PUBLISHED = "published", _("Published in the gallery")
        CHANNELLED = "channelled", _("Channelled to the provincial programme")

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE, related_name="events"
    )
    actor_role = models.CharField(_("as"), max_length=20, choices=Role.choices, blank=True)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("note"), max_length=MAX_NOTE_LENGTH, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("innovation event")
        verbose_name_plural = _("innovation events")
        constraints = [
            # Each happens once; a second publish or channel of the same innovation is refused.
            models.UniqueConstraint(fields=["innovation", "kind"], name="innovationevent_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.innovation}"


def photo_path(photo, filename):
    return f"programs/innovations/{uuid.uuid4().hex}"


class InnovationPhoto(models.Model):
    """A JPEG or PNG of an innovation; public once the innovation is published."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    content_type = models.CharField(
        _("type"),
        max_length=30,
        choices=[
            (Attachment.ContentType.JPEG, Attachment.ContentType.JPEG.label),
            (Attachment.ContentType.PNG, Attachment.ContentType.PNG.label),
        ],
    )
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES), name="innovationphoto_at_most_5_mb"
            ),
            models.UniqueConstraint(fields=["token"], name="innovationphoto_token_once"),
        ]

    def __str__(self):
        return self.caption or str(self.public_id)

    def get_absolute_url(self):
        return path_to("programs:innovation_photo", self.innovation.public_id, self.public_id)
