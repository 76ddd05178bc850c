from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forkom.choices import ChoiceLabels
from forkom.paths import path_to
from forkom.territory.codes import MAX_CODE_LENGTH, subtree_prefix


class RegionQuerySet(models.QuerySet):
    def within(self, code):
        """The region `code` and everything below it, by code prefix (an indexed LIKE)."""
        return self.filter(Q(code=code) | Q(code__startswith=subtree_prefix(code)))

    def below(self, code):
        return self.filter(code__startswith=subtree_prefix(code))

    def active(self):
        return self.filter(is_active=True)


class Region(ChoiceLabels, models.Model):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its Kemendagri code."""

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Province (provinsi)")
        KABUPATEN_KOTA = 2, _("Regency or city (kabupaten/kota)")
        KECAMATAN = 3, _("District (kecamatan)")
        DESA_KELURAHAN = 4, _("Village (desa/kelurahan)")

    class Kind(models.TextChoices):
        NONE = "", "—"
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    # The PostgreSQL backend adds a varchar_pattern_ops index on a unique CharField,
    # which is what makes `code LIKE '64.74.%'` an index range scan.
    code = models.CharField(_("Kemendagri code"), max_length=MAX_CODE_LENGTH, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Regions that disappear from a newer Kemendagri table are deactivated."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="region_level_1_to_4",
                violation_error_message=_("A region's level is 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="region_parent_iff_below_provinsi",
                violation_error_message=_(
                    "A provinsi has no parent region; every other region has one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return path_to("territory:region", self.code)

    def contains(self, code):
        return code == self.code or code.startswith(subtree_prefix(self.code))
