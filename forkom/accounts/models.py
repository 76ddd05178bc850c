import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forkom import statements
from forkom.choices import ChoiceLabels
from forkom.territory.models import Region


class ForkomUserManager(UserManager):
    """Users sign in with their email address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email) or None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get(self, *args, **kwargs):
        """Django's, but `get(pk=<int>)` runs a statement compiled once per database
        (forkom.statements): that is how Django's authentication reads the signed-in user on
        every request (ModelBackend.get_user). The row is read afresh each time, all of its
        columns, into the model as the ORM makes it."""
        if args or len(kwargs) != 1 or "pk" not in kwargs:
            return super().get(*args, **kwargs)
        pk = kwargs["pk"]
        if type(pk) is not int:
            return super().get(*args, **kwargs)
        found = statements.first(_user_statement(self.model, self.db), pk)
        if found is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return found


@functools.cache
def _user_statement(model, alias):
    """The SELECT of one user by id, every column, on `alias`."""
    return statements.compiled_models(
        model._base_manager.using(alias).filter(pk=statements.PLACEHOLDER)
    )


class User(AbstractUser):
    # A cadre registered by an officer may have no email yet (assisted registration).
    username = None
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    # How many of the person's notifications are unread, for the menu: kept by
    # forkom.notifications.services in the transaction that changes them (a recount, never
    # an increment), so the menu costs no query of its own.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, db_default=0, editable=False
    )

    objects = ForkomUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email or f"#{self.pk}"


class Role(models.TextChoices):
    CADRE = "kader", _("Cadre (kader)")
    FORUM_OFFICER = "pengurus", _("Forum officer (pengurus forum)")
    CITY_COORDINATOR = "koordinator_kota", _("City coordinator (koordinator kota)")
    DINAS_STAFF = "staf_dinas", _("Dinas PMPD staff")


class Position(models.TextChoices):
    """A forum officer's position (jabatan) in a kelurahan or kecamatan forum."""

    KETUA = "ketua", _("Chair (ketua)")
    WAKIL_KETUA = "wakil_ketua", _("Vice chair (wakil ketua)")
    SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
    BENDAHARA = "bendahara", _("Treasurer (bendahara)")
    KOORDINATOR_BIDANG = "koordinator_bidang", _("Field coordinator (koordinator bidang)")


# Which levels of region each role is held at (DESIGN.md, "Roles and scope").
ROLE_LEVELS = {
    Role.CADRE: {Region.Level.DESA_KELURAHAN},
    Role.FORUM_OFFICER: {Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN},
    Role.CITY_COORDINATOR: {Region.Level.KABUPATEN_KOTA},
    Role.DINAS_STAFF: {Region.Level.PROVINSI, Region.Level.KABUPATEN_KOTA},
}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            is_active=True,
            starts_on__lte=today,
        )

    def holding(self, today=None):
        """The roles held now or dated to start later: what the account stands for."""
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), is_active=True)


class RoleAssignment(ChoiceLabels, models.Model):
    """A role held by a user over a region: the only source of what a user may see and do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["region_id", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.FORUM_OFFICER) & ~Q(position=""))
                | (~Q(role=Role.FORUM_OFFICER) & Q(position="")),
                name="roleassignment_position_iff_officer",
                violation_error_message=_(
                    "A forum officer holds a position; the other roles hold none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="roleassignment_ends_after_start",
                violation_error_message=_("A role ends on or after the day it starts."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region", "position"],
                condition=Q(is_active=True),
                name="roleassignment_unique_active",
                violation_error_message=_("This person already holds this role here."),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_active=True, role=Role.CITY_COORDINATOR),
                name="roleassignment_one_active_coordinator_per_kota",
                violation_error_message=_("This kota already has an active city coordinator."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="roleassignment_user_active"),
            # Who holds which post in an area (e.g. the ketua of each kelurahan under a kota).
            models.Index(
                fields=["region", "role", "position"],
                name="roleassignment_region_role",
                opclasses=["varchar_pattern_ops"] * 3,
            ),
        ]

    def __str__(self):
        label = self.get_position_display() if self.position else self.get_role_display()
        return f"{self.user} — {label}, {self.region.name}"


class RoleInvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)


class RoleInvitation(models.Model):
    """A role offered by Dinas staff to a person by email, given when the person accepts.

    Staff never take hold of an account to give it a role: the person signs in (or signs
    up) with the invited address, confirmed, and accepts. Only a hash of the link's token is
    stored.
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = RoleInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("role invitation")
        verbose_name_plural = _("role invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="roleinvitation_ends_after_start",
                violation_error_message=_("A role ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}, {self.region.name}"
