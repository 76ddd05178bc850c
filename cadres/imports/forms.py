from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forkom import scope
from forkom.accounts.models import Role
from forkom.territory.models import Region

KECAMATAN_CODE_LENGTH = len("64.74.03")


def importable_areas(user: Any) -> list[Region]:
    """Dinas staff import into their regions, kecamatan officers into their kecamatan."""
    codes = set(scope.region_codes(user, {Role.DINAS_STAFF}))
    codes |= {
        code
        for code in scope.region_codes(user, {Role.FORUM_OFFICER})
        if len(code) == KECAMATAN_CODE_LENGTH
    }
    return list(Region.objects.filter(code__in=codes).order_by("code"))


class ImportForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Into"),
        queryset=Region.objects.none(),
        empty_label=None,
        help_text=_("Each row's kelurahan must lie in this area."),
    )
    file = forms.FileField(
        label=_("Sheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    consent = forms.BooleanField(
        label=_(
            "The cadres in this sheet agreed to the personal-data statement (on paper), as "
            "for an assisted registration."
        ),
        error_messages={
            "required": _("Confirm that the cadres agreed before their data is imported.")
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        areas = importable_areas(user)
        self.fields["area"].queryset = Region.objects.filter(code__in=[a.code for a in areas])
