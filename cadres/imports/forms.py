from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.imports.checking import importable_codes
from forkom.territory.models import Region


def importable_areas(user: Any) -> list[Region]:
    return list(Region.objects.filter(code__in=importable_codes(user)).order_by("code"))


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
        self.fields["area"].queryset = Region.objects.filter(code__in=importable_codes(user))
