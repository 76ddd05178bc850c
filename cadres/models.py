"""Cadres (kader): their profiles, the bodies they serve in, their consent and decisions.

Bodies (lembaga: Karang Taruna, LPM, Posyandu, ...), fields of work (bidang) and
training topics are lists that Dinas staff keep in the admin, not fixed choices.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadres.names import validate_full_name
from cadres.phones import display_phone
from forkom import texts
from forkom.choices import ChoiceLabels
from forkom.events import Event
from forkom.paths import path_to
from forkom.territory.models import Region


class Sex(models.TextChoices):
    # The letters on the KTP: laki-laki, perempuan.
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No formal schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior secondary school (SMP)")
    SMA = "sma", _("Senior secondary school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1-D3)")
    BACHELOR = "s1", _("Bachelor (D4/S1)")
    MASTER = "s2", _("Master (S2)")
    DOCTORATE = "s3", _("Doctorate (S3)")


class StaffListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class StaffList(models.Model):
    """An entry of a list that staff maintain; retired entries are hidden, never deleted."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StaffListQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Body(StaffList):
    """A body (lembaga) a cadre serves in: Karang Taruna, LPM, Posyandu, PKK, ..."""

    class Meta(StaffList.Meta):
        verbose_name = _("body (lembaga)")
        verbose_name_plural = _("bodies (lembaga)")


class Field(StaffList):
    """A field of work (bidang): UMKM, health, education, ..."""

    class Meta(StaffList.Meta):
        verbose_name = _("field of work (bidang)")
        verbose_name_plural = _("fields of work (bidang)")


class Topic(StaffList):
    """A training topic a cadre may ask for."""

    class Meta(StaffList.Meta):
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")


class CadreProfile(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        INACTIVE = "inactive", _("Inactive")

    # URLs carry this opaque id, never the NIK, a name or a sequential key.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="cadre_profile",
    )
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_full_name])
    # Null once the person is anonymised after a deletion request (counts stay).
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Blank for a cadre imported from a sheet without these optional columns (cadres.imports):
    # the registration forms ask for them, the admin's correction does not invent them.
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("mobile / WhatsApp number"), max_length=16)
    address = models.TextField(_("address"), blank=True)
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.DESA_KELURAHAN},
    )
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    fields = models.ManyToManyField(Field, verbose_name=_("fields of work"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    training_needs = models.ManyToManyField(Topic, verbose_name=_("training needs"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer or staff member who registered a cadre without an email."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
                name="cadre_nik_16",
                violation_error_message=_("A NIK has 16 digits."),
            ),
            models.CheckConstraint(
                condition=Q(status="rejected") | Q(rejection_reason=""),
                name="cadre_reason_only_when_rejected",
                violation_error_message=_("Only a rejected profile has a reason for rejection."),
            ),
        ]
        indexes = [
            # Pattern ops so that `kelurahan LIKE '64.74%'` (scope, dashboards) can use it on
            # PostgreSQL under any collation. The other columns make it covering: counts per
            # area and status, the joins from an area's cadres to their memberships and
            # sign-ups, and a page of the cadre list sorted by name (forkom.pagination) read
            # the index alone instead of one heap page per cadre (a kota's cadres are spread
            # over the whole table). Key columns rather than INCLUDE, which SQLite lacks.
            models.Index(
                fields=["kelurahan", "full_name", "id", "status"],
                name="cadre_area_name",
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_ops",
                    "int8_ops",
                    "varchar_pattern_ops",
                ],
            ),
            # A number typed to sign in with an activation code, or by Dinas staff in the
            # admin's number search: equal to it, or starting with it (pattern ops, for
            # `LIKE '+62812%'` under any collation). Without it each sign-in by number read
            # every profile (280 ms at national scale).
            models.Index(fields=["phone"], name="cadre_phone", opclasses=["varchar_pattern_ops"]),
            # The cadres of a province or a kota by name (the admin's list of Dinas staff):
            # read in name order, their kelurahan checked in the index, until a page is
            # full. From cadre_area_name, every cadre of the area was read and sorted first:
            # Kalimantan Timur's 37,596 took 15.9 ms, 0.4 ms this way. A kelurahan's few
            # still come from cadre_area_name; the planner chooses.
            models.Index(
                fields=["full_name", "id", "kelurahan"],
                name="cadre_name_area",
                opclasses=["varchar_ops", "int8_ops", "varchar_pattern_ops"],
            ),
            # The cadres who have waited longest for verification, oldest first (the home
            # page of an officer or Dinas staff, dashboard.work): read in that order until
            # five of the area are found. From cadre_area_name, every waiting cadre of the
            # area was read and sorted first: Kalimantan Timur's 4,038 took 25-42 ms, 0.06
            # ms this way. A kelurahan's few still come from cadre_area_name; the planner
            # chooses.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="waiting"),
                name="cadre_waiting_oldest",
            ),
            # How many cadres wait in an area (the same home pages): counted from the waiting
            # cadres' kelurahan alone. From cadre_area_name, every cadre of the area was read
            # to count the waiting: Kalimantan Timur's 37,596 for its 4,037, 5.5 ms, 0.9 ms
            # this way.
            models.Index(
                fields=["kelurahan"],
                condition=Q(status="waiting"),
                name="cadre_waiting_area",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return path_to("cadres:detail", self.public_id)

    @cached_property
    def nik_review(self):
        """The open check of a NIK this cadre gave that another profile holds, if any."""
        return None if self.nik else self.nik_reviews.filter(closed_at__isnull=True).first()

    @property
    def masked_nik(self):
        """`6474024312880001` → `••••••••••••0001`: enough to tell two cadres apart."""
        return mask_nik(self.nik)

    @property
    def phone_display(self):
        return display_phone(self.phone)

    def can_be_verified(self):
        return self.status == self.Status.WAITING

    def can_be_rejected(self):
        return self.status == self.Status.WAITING

    def can_be_deactivated(self):
        return self.status != self.Status.INACTIVE


def mask_nik(nik):
    """That there is a NIK, and none of its digits. The first twelve are the kecamatan and
    the birth date (+40 for women), which officers see beside the mask; the last four, the
    serial number, are the only ones they cannot work out, so showing them (as this did)
    gave the whole NIK back."""
    return "•" * 16 if nik else ""


class CadreMembership(models.Model):
    """A body a cadre serves in, with their position there and since when."""

    profile = models.ForeignKey(
        CadreProfile,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body (lembaga)"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    since_year = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership in a body")
        verbose_name_plural = _("memberships in bodies")
        ordering = ["body__sort_order", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "body"], name="membership_once_per_body"),
        ]

    def __str__(self):
        return f"{self.body} — {self.position}" if self.position else str(self.body)


class AreaStatusCount(models.Model):
    """How many cadre profiles a kelurahan has in each status: what the dashboards read
    instead of counting a whole province's profiles.

    Kept by database triggers on cadres_cadreprofile (migration 0017), so that every writer,
    the admin and raw SQL included, keeps it right; `manage.py check_cadre_counts` compares
    it with a recount and repairs it. Rows reach zero and stay.

    The key is (kelurahan, status), not a serial id, so that loading a dump (loaddata)
    overwrites the row the triggers made while loading the profiles before it.

    No foreign key constraints in the database: the keys come from profiles and memberships,
    which have theirs, and a check on a new row would wait for a writer that holds the
    kelurahan's row FOR UPDATE (verify_cadre does) while that writer waits for this row.
    """

    pk = models.CompositePrimaryKey("kelurahan", "status")
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=CadreProfile.Status.choices)
    cadres = models.IntegerField(_("cadres"), default=0)

    class Meta:
        verbose_name = _("cadres per kelurahan and status")
        verbose_name_plural = _("cadres per kelurahan and status")

    def __str__(self):
        return f"{self.kelurahan_id} {self.status}: {self.cadres}"


class AreaBodyCount(models.Model):
    """How many verified cadres of a kelurahan serve in each body (a cadre serves once per
    body, see `membership_once_per_body`). Kept like AreaStatusCount, by triggers on
    cadres_cadreprofile and cadres_cadremembership."""

    pk = models.CompositePrimaryKey("kelurahan", "body")
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body (lembaga)"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    cadres = models.IntegerField(_("verified cadres"), default=0)

    class Meta:
        verbose_name = _("verified cadres per kelurahan and body")
        verbose_name_plural = _("verified cadres per kelurahan and body")

    def __str__(self):
        return f"{self.kelurahan_id} {self.body_id}: {self.cadres}"


class ConsentRecordQuerySet(models.QuerySet):
    def current(self, version):
        return self.filter(version=version, withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    """A person's agreement to a version of the personal-data statement (UU 27/2022)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    version = models.CharField(_("text version"), max_length=20)
    agreed_at = models.DateTimeField(_("agreed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when an officer recorded the consent in an assisted registration."),
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-agreed_at"]

    def __str__(self):
        return f"{self.user} — {self.version}"


class CadreEvent(Event):
    """A change of a cadre's status (before and after are statuses), or a correction."""

    profile = models.ForeignKey(
        CadreProfile, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="events"
    )
    before = models.CharField(
        _("from"), max_length=10, choices=CadreProfile.Status.choices, blank=True
    )
    after = models.CharField(_("to"), max_length=10, choices=CadreProfile.Status.choices)
    # The one-time key of the form that asked for the decision: the same form posted twice
    # (a double tap) finds this event and answers with its result instead of a refusal.
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta(Event.Meta):
        verbose_name = _("cadre event")
        verbose_name_plural = _("cadre events")
        constraints = [models.UniqueConstraint(fields=["token"], name="cadreevent_token_once")]

    def __str__(self):
        # The statuses by their labels, in the reader's language: an admin history row's title.
        return f"{self.profile} {self.get_before_display() or '—'} → {self.get_after_display()}"


class NikReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class NikReview(models.Model):
    """A NIK that a cadre gave (registering, or correcting their profile) which another
    profile already holds: the officers of the cadre's kelurahan check the KTP.

    The person is answered as for any registration (nothing tells a stranger whether, or
    whose); the profile waits without a NIK, and cannot be verified, until the review is
    closed by a correction to a NIK nobody else holds.
    """

    profile = models.ForeignKey(
        CadreProfile, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="nik_reviews"
    )
    nik = models.CharField(_("NIK given"), max_length=16)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = NikReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("NIK to check")
        verbose_name_plural = _("NIKs to check")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(closed_at__isnull=True),
                name="nikreview_one_open_per_profile",
            )
        ]

    def __str__(self):
        return f"{self.profile} ({mask_nik(self.nik)})"

    @property
    def masked_nik(self):
        return mask_nik(self.nik)


class PersonalDataView(models.Model):
    """A staff member saw a cadre's personal data unmasked: who, whose, when."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    profile = models.ForeignKey(
        CadreProfile, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.viewer} → {self.profile} ({self.at:%Y-%m-%d %H:%M})"


class Forum(models.Model):
    """A Forkom KPM forum of one kecamatan or kelurahan (the kota has only a coordinator).

    Its officers are forum-officer role assignments held at the forum's region; it is
    formed (terbentuk) when it has a current ketua and its decree (SK) is recorded.
    """

    region = models.OneToOneField(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="forum",
        limit_choices_to={"level__in": [Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN]},
    )
    sk_number = models.CharField(_("SK number"), max_length=100, blank=True)
    sk_date = models.DateField(_("SK date"), null=True, blank=True)
    sk_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("SK recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["region_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sk_number="", sk_date__isnull=True)
                | (~Q(sk_number="") & Q(sk_date__isnull=False)),
                name="forum_sk_number_and_date_together",
                violation_error_message=_("Give the SK's number and its date together."),
            ),
        ]

    def __str__(self):
        return f"Forkom KPM {self.region.name}"

    @property
    def has_sk(self):
        return bool(self.sk_number and self.sk_date)


class OfficerField(models.Model):
    """The field (bidang) a koordinator bidang is responsible for."""

    assignment = models.OneToOneField(
        "accounts.RoleAssignment",
        verbose_name=_("role assignment"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="officer_field",
    )
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("field of a koordinator bidang")
        verbose_name_plural = _("fields of koordinator bidang")

    def __str__(self):
        return str(self.field)


class ForumMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class ForumMember(models.Model):
    """A verified cadre of the forum's area who is a member of the forum."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="members"
    )
    profile = models.ForeignKey(
        CadreProfile,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="forum_memberships",
    )
    started_on = models.DateField(_("member since"), default=timezone.localdate)
    ended_on = models.DateField(_("member until"), null=True, blank=True)

    objects = ForumMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "profile"],
                condition=Q(ended_on__isnull=True),
                name="forummember_one_current_membership",
                violation_error_message=_("This cadre is already a member of this forum."),
            ),
        ]

    def __str__(self):
        return f"{self.profile} — {self.forum}"


class ForumEvent(Event):
    """Every change to a forum: SK, officers, members (who, when, what, note)."""

    class Kind(models.TextChoices):
        SK_RECORDED = "sk_recorded", _("SK recorded")
        OFFICER_APPOINTED = "officer_appointed", _("Officer appointed")
        OFFICER_ENDED = "officer_ended", _("Officer's term ended")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concerning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The one-time key of the form that asked for the change (a double tap acts once).
    token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta(Event.Meta):
        verbose_name = _("forum event")
        verbose_name_plural = _("forum events")
        constraints = [models.UniqueConstraint(fields=["token"], name="forumevent_token_once")]
        indexes = [
            # A forum's timeline, newest first (forums.selectors.timeline): read from here,
            # the fifty latest are joined to their people; by the forum alone, every event
            # of the forum was joined and sorted first (4.2 ms for a kelurahan's 299).
            models.Index(fields=["forum", "at", "id"], name="forumevent_forum_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.forum}"


class DeletionRequest(ChoiceLabels, models.Model):
    """A cadre asks for their personal data to be deleted; Dinas staff carry it out."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        DONE = "done", _("Carried out")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="deletion_requests",
    )
    # Where the person was registered, kept so that staff queues stay scoped afterwards.
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="open"),
                name="deletionrequest_one_open_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} — {self.requested_at:%Y-%m-%d}"


def export_path(job, filename):
    # A random name: the file holds personal data and is reached only through its view.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(ChoiceLabels, models.Model):
    """A cadre list too long to build within a request (a province-wide XLSX): the worker
    builds it, the person who asked downloads it for a day, then it is deleted."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.requested_by} — {self.created_at:%Y-%m-%d %H:%M}"


def import_path(cadre_import, filename):
    # A random name: the sheet holds personal data and is reached only through its views.
    return f"imports/{uuid.uuid4().hex}"


class CadreImport(ChoiceLabels, models.Model):
    """A spreadsheet of cadres uploaded by Dinas staff or a kecamatan officer: checked by the
    worker, shown for confirmation, then written all or nothing. Kept as the import history
    of its area (who, when, which file, how many rows went where)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked, waiting for confirmation")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("not imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    area = models.ForeignKey(
        Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    # Deleted once the sheet is imported or refused: it holds personal data.
    file = models.FileField(_("file"), upload_to=import_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    unchanged = models.PositiveIntegerField(_("already registered"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # [line, column, reason, [cells as text]] of each refused row, for the page and the sheet;
    # the reason is {language: text} for every language of the site (a plain string in rows
    # kept before), as the worker wrote it, so that each reader reads it in their language.
    rejections = models.JSONField(_("rejected rows"), default=list, blank=True)
    header = models.JSONField(_("header"), default=list, blank=True)
    # The uploader's choice for columns whose header was not recognised: {key: column index}.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Required columns the check could not find: the page asks to map them.
    missing_columns = models.JSONField(_("missing columns"), default=list, blank=True)
    # Rows whose NIK is registered in the area but whose sheet differs in fields Dinas staff
    # may correct: [line, [labels of what differs]]. Applied only when the uploader asks.
    updates = models.JSONField(_("possible updates"), default=list, blank=True)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    apply_updates = models.BooleanField(_("apply the updates"), default=False)
    # Progress for the page: rows checked, and rows written (reported from outside the
    # all-or-nothing transaction, see cadres/imports/services.py).
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    # In the site's language; `other_messages` holds it in the others ({"en": "..."}),
    # written with it by the worker, so that each reader reads it in their language.
    message = models.TextField(_("message"), blank=True)
    other_messages = models.JSONField(
        _("message in other languages"), default=dict, db_default={}, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cadre import")
        verbose_name_plural = _("cadre imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return path_to("cadres:import_detail", self.public_id)

    @property
    def message_shown(self) -> str:
        """The message in the language of the page that shows it."""
        return texts.shown_beside(self.message, self.other_messages)

    def rejections_shown(self, limit: int | None = None) -> list[list]:
        """[line, column, reason, cells] of the refused rows, each reason in the language of
        the page or sheet that shows it."""
        return [
            [line, column, texts.shown(reason), cells]
            for line, column, reason, cells in self.rejections[:limit]
        ]


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class ActivationCode(models.Model):
    """A one-time code an officer hands to a cadre who has no email (printed, or sent on
    WhatsApp): with it and their phone number or NIK the cadre signs in once and sets a
    password. Only a keyed hash of the code is stored; a new code revokes the older ones."""

    profile = models.ForeignKey(
        CadreProfile,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["code_hash"], name="activationcode_hash")]

    def __str__(self):
        return f"{self.profile} — {self.issued_at:%Y-%m-%d %H:%M}"


class Announcement(ChoiceLabels, models.Model):
    """A pengumuman: written by whoever speaks for an area (Dinas staff, the Koordinator Kota,
    forum officers) to a region and everything under it, optionally narrowed to bodies or to
    forum officers; public, or for the addressed cadres only. Plain text: links in it are
    made clickable when shown, no HTML from users."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone (public, also on the home and region pages)")
        CADRES = "cadres", _("Only the addressed cadres")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    bodies = models.ManyToManyField(
        Body,
        verbose_name=_("only cadres of these bodies"),
        blank=True,
        related_name="+",
        help_text=_("None ticked: the cadres of every body."),
    )
    officers_only = models.BooleanField(_("only forum officers"), default=False)
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("text"))
    # A path on this site (a training, a proposal call, a meeting), never another host.
    link = models.CharField(_("link"), max_length=300, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Who speaks, as the readers see it: the role and area at the time of writing.
    signed_as = models.CharField(_("signed as"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited after publishing"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    delivered_to = models.PositiveIntegerField(_("delivered to inboxes"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-published_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "region", "-published_at"], name="announcement_list"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("announcements:detail", self.public_id)


class AnnouncementEvent(Event):
    """Written, published, edited, withdrawn: who and when."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(Event.Meta):
        verbose_name = _("announcement event")
        verbose_name_plural = _("announcement events")

    def __str__(self):
        return f"{self.announcement} {self.after}"


class Meeting(ChoiceLabels, models.Model):
    """A rapat: of a kecamatan or kelurahan forum (called by its officers), of the city (the
    Koordinator Kota with the kecamatan forums' officers) or of the province (Dinas staff with
    the coordinators). Invitees answer; afterwards the organiser records who attended and
    the minutes (notulen), with decisions and follow-ups, and publishes them to the invitees."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held, minutes being written")
        PUBLISHED = "published", _("Minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("forum or area"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    agenda = models.TextField(_("agenda"), help_text=_("One item per line."))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    signed_as = models.CharField(_("called by"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    minutes = models.TextField(_("minutes (notulen)"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One per line."))
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["region", "-starts_at"], name="meeting_region")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("meetings:detail", self.public_id)

    def agenda_items(self):
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def takes_answers(self, now=None):
        """Invitees answer hadir or tidak hadir until the meeting starts."""
        return self.state == self.State.SCHEDULED and self.starts_at > (now or timezone.now())

    def decision_items(self):
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class MeetingInvitation(ChoiceLabels, models.Model):
    class Answer(models.TextChoices):
        NONE = "", _("Not answered")
        PRESENT = "hadir", _("Will attend (hadir)")
        ABSENT = "tidak_hadir", _("Will not attend (tidak hadir)")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitee"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    # The name and position shown in the list and on the daftar hadir, as at the invitation.
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetinginvitation_once")
        ]

    def __str__(self):
        return f"{self.name} — {self.meeting}"


class FollowUp(models.Model):
    """A tindak lanjut of a meeting: what, who is responsible, by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField(_("follow-up"), max_length=300)
    responsible = models.ForeignKey(
        MeetingInvitation,
        verbose_name=_("person responsible"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text


class MeetingEvent(Event):
    """Scheduled, answered, minutes recorded, minutes published: who and when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(Event.Meta):
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")

    def __str__(self):
        return f"{self.meeting} {self.after}"
