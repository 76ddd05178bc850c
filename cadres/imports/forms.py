from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.imports.checking import COLUMNS, importable_codes
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


class MappingForm(forms.Form):
    """For each column whose header was not recognised: which field it holds, or none."""

    def __init__(self, *args: Any, columns: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [
            (key, label) for key, label, _required, _variants in COLUMNS
        ]
        for index, name in columns:
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=name or _("Column %(number)d (no header)") % {"number": index + 1},
                choices=choices,
                required=False,
            )

    def chosen(self) -> dict[int, str]:
        return {
            int(name.removeprefix("column_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("column_")
        }
