from datetime import datetime

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Topic
from forkom.filters import ReferenceListFilter, nothing_chosen
from forkom.territory import codes
from forkom.territory.models import Region
from forkom.territory.selectors import with_kecamatan
from trainings.models import CERTIFICATE_CODE, Training
from trainings.selectors import in_area

# The catalogue's months: wide enough for any training, and inside what dates can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _within_catalogue_years(day):
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a month between %(first)d and %(last)d."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


# How far the catalogue looks from the visitor's kota (TrainingFilter.wilayah).
KOTA, PROVINSI, SEMUA = "kota", "provinsi", "semua"


class TrainingFilter(django_filters.FilterSet):
    """The catalogue's filters; they work as a plain GET form, without JavaScript.

    `kota` is the visitor's kabupaten/kota (selectors.home_kota): the catalogue shows its
    trainings unless the visitor widens the area to the province or the whole country."""

    wilayah = django_filters.ChoiceFilter(label=_("Area"), method="filter_area", empty_label=None)
    topic = ReferenceListFilter(
        label=_("Topic"), model=Topic, active_only=True, method="filter_topic"
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), field_name="venue_kecamatan", empty_label=_("All kecamatan")
    )
    open = django_filters.BooleanFilter(
        label=_("Open for registration now"), method="filter_open", widget=forms.CheckboxInput
    )
    month = django_filters.DateFilter(
        label=_("Month"),
        method="filter_month",
        input_formats=["%Y-%m"],
        validators=[_within_catalogue_years],
        widget=forms.DateInput(
            attrs={"type": "month", "min": f"{FIRST_YEAR}-01", "max": f"{LAST_YEAR}-12"},
            format="%Y-%m",
        ),
        help_text=_("For example 2026-07."),
    )

    class Meta:
        model = Training
        fields = []

    def __init__(self, data=None, *args, now=None, kota=None, **kwargs):
        if data is not None and not data.get("wilayah"):
            data = data.copy()
            data["wilayah"] = KOTA
        super().__init__(data, *args, **kwargs)
        self.now = now or timezone.now()
        self.kota = kota or settings.FORKOM_HOME_REGION
        self.province = codes.ancestor_at(self.kota, Region.Level.PROVINSI)
        # The kota's kecamatan and the names of the kota and its province: one query.
        kota, kecamatan = with_kecamatan(self.kota)
        province = kota.parent if kota is not None else None
        self.filters["kecamatan"].extra["choices"] = [(row.code, row.name) for row in kecamatan]
        self.filters["wilayah"].extra["choices"] = [
            (KOTA, kota.name if kota is not None else self.kota),
            (
                PROVINSI,
                _("Province %(name)s")
                % {"name": province.name if province is not None else self.province},
            ),
            (SEMUA, _("All of Indonesia")),
        ]

    @property
    def area_label(self):
        """The area shown, as the filter names it (the kota when the choice is not valid)."""
        chosen = self.form.cleaned_data.get("wilayah") if self.form.is_valid() else None
        return dict(self.filters["wilayah"].extra["choices"])[chosen or KOTA]

    def filter_area(self, queryset, name, area):
        code = {KOTA: self.kota, PROVINSI: self.province}.get(area)
        if code is None:
            return queryset
        return in_area(queryset, code)

    def unfiltered(self):
        """Whether the catalogue is asked for as it opens: the kota's, nothing narrowed."""
        return nothing_chosen(self, but={"wilayah"}) and self.form.cleaned_data["wilayah"] == KOTA

    def filter_topic(self, queryset, name, topic):
        chosen = Training.topics.through.objects.filter(topic=topic).values("training_id")
        return queryset.filter(pk__in=chosen)

    def filter_open(self, queryset, name, wanted):
        if not wanted:
            return queryset
        return queryset.filter(
            registration_opens_at__lte=self.now, registration_closes_at__gt=self.now
        )

    def filter_month(self, queryset, name, day):
        # The month in WITA, as the catalogue shows the dates.
        wita = timezone.get_current_timezone()
        start = datetime(day.year, day.month, 1, tzinfo=wita)
        following = datetime(day.year + day.month // 12, day.month % 12 + 1, 1, tzinfo=wita)
        return queryset.filter(starts_at__gte=start, starts_at__lt=following)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity (seats)"), min_value=1, max_value=100_000)


class CertificateCodeForm(forms.Form):
    """The code printed under a certificate's QR code, typed in to check the certificate."""

    kode = forms.CharField(
        label=_("Certificate code"),
        max_length=64,
        help_text=_("The code printed at the bottom of the certificate, after /sertifikat/."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_kode(self):
        # Pasted with the address around it, or with spaces: keep the code itself.
        code = self.cleaned_data["kode"].strip().strip("/").rsplit("/", 1)[-1].strip()
        if not CERTIFICATE_CODE.fullmatch(code):
            raise ValidationError(
                _("A certificate code has letters, digits, - and _ only."), code="invalid"
            )
        return code
