"""Forms of the innovation gallery. They parse input; the rules live in the services."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres import selectors as cadre_selectors
from cadres.models import Field
from forkom import statements
from forkom.fields import ModelChoiceField, ModelMultipleChoiceField
from forkom.filters import ReferenceListFilter
from forkom.territory.models import Region
from programs.forms import form_token, show_found
from programs.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_NOTE_LENGTH,
    Innovation,
)


class InnovationForm(forms.ModelForm):
    token = form_token()

    class Meta:
        model = Innovation
        fields = [
            "title",
            "description",
            "field",
            "kelurahan",
            "results",
            "impact",
            "cadres",
            "proposal",
        ]
        labels = {
            "title": _("Title"),
            "description": _("What did the community make or change?"),
            "field": _("Field of work"),
            "kelurahan": _("Kelurahan"),
            "results": _("Results"),
            "impact": _("Impact on the community"),
            "cadres": _("Cadres behind it"),
            "proposal": _("The proposal it came from (if any)"),
        }
        help_texts = {
            "results": _("What came out of it: products, numbers, services."),
            "impact": _("Who benefits, and how their life changed."),
            "cadres": _("Other verified cadres of your kecamatan who made it with you."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
            "cadres": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "field": ModelChoiceField,
            "kelurahan": ModelChoiceField,
            "cadres": ModelMultipleChoiceField,
            "proposal": ModelChoiceField,
        }

    def __init__(self, *args, recorder, proposals, cadre_search="", **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = recorder.kelurahan.parent_id
        self.fields["kelurahan"].queryset = Region.objects.active().filter(
            level=Region.Level.DESA_KELURAHAN, parent_id=kecamatan
        )
        self.fields["kelurahan"].initial = recorder.kelurahan_id
        self.fields["kelurahan"].empty_label = None
        self.fields["field"].refer_to(Field, active_only=True)
        self.fields["field"].empty_label = "—"
        self.fields["cadres"].queryset = cadre_selectors.colleagues(recorder)
        self.fields["cadres"].label_from_instance = cadre_selectors.name_and_kelurahan
        # Found by name, never all of the kecamatan (programs.forms.show_found).
        self.cadres_found, self.cadres_more = show_found(
            self, "cadres", cadre_selectors.colleagues(recorder), [], cadre_search
        )
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].empty_label = "—"

    def _post_clean(self):
        # The service checks the innovation as a whole; the form only parses what was typed.
        pass

    def innovation_details(self):
        data = dict(self.cleaned_data)
        data["cadres"] = list(data["cadres"])
        return data


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo (JPEG or PNG, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    token = form_token()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("A file may be at most 5 MB."))
        return upload


class InnovationNoteForm(forms.Form):
    """The optional note of an officer who publishes an innovation or channels it."""

    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE_LENGTH, required=False)


_gallery_kecamatan: statements.Kept[statements.Statement | None] = statements.Kept()


class InnovationFilter(django_filters.FilterSet):
    field = ReferenceListFilter(model=Field, label=_("Field of work"), empty_label=_("All"))
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), empty_label=_("All"), method="in_kecamatan"
    )

    class Meta:
        model = Innovation
        fields = ["field", "kecamatan"]

    def __init__(self, *args, home_region, **kwargs):
        super().__init__(*args, **kwargs)
        # The same for every visitor: read through a statement kept per home region.
        self.filters["kecamatan"].extra["choices"] = [
            (code, name)
            for code, name in statements.kept_rows(
                _gallery_kecamatan,
                (Region.objects.db, home_region),
                lambda: (
                    Region.objects.active()
                    .below(home_region)
                    .filter(level=Region.Level.KECAMATAN)
                    .order_by("name")
                    .values_list("code", "name")
                ),
            )
        ]

    def in_kecamatan(self, queryset, name, value):
        return queryset.filter(kelurahan__parent_id=value)
