import django_filters
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Body, CadreProfile, Education, Field, Sex, Topic
from cadres.nik import check_nik
from cadres.phones import normalize_phone
from cadres.selectors import VIEWER_ROLES
from forkom import scope
from forkom.territory.models import Region


def kelurahan_choices(under_code):
    """Kelurahan grouped by kecamatan, for a <select> with one <optgroup> per kecamatan.

    This is what makes the kecamatan → kelurahan choice work without JavaScript.
    """
    kelurahan = (
        Region.objects.active()
        .below(under_code)
        .filter(level=Region.Level.DESA_KELURAHAN)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    groups = {}
    for region in kelurahan:
        groups.setdefault(region.parent.name, []).append((region.code, region.name))
    return [("", "—"), *groups.items()]


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this statement and agree that my data is used for these purposes."),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (as on your KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("The 16-digit number on your KTP (identity card)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    phone = forms.CharField(
        label=_("Mobile / WhatsApp number"),
        max_length=24,
        help_text=_("For example 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}))
    kelurahan = forms.ChoiceField(label=_("Kelurahan where you live (grouped by kecamatan)"))
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields of work"),
        queryset=Field.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    training_needs = forms.ModelMultipleChoiceField(
        label=_("Training you need"),
        queryset=Topic.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_nik = forms.BooleanField(label=_("I have checked: my NIK is correct."), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = kelurahan_choices(settings.FORKOM_HOME_REGION)
        self.nik_warnings = []
        # One row per body (lembaga): served here?, position, since which year.
        self.bodies = list(Body.objects.active())
        this_year = timezone.localdate().year
        for body in self.bodies:
            self.fields[f"body_{body.pk}"] = forms.BooleanField(label=body.name, required=False)
            self.fields[f"body_{body.pk}_position"] = forms.CharField(
                label=_("Position"), max_length=100, required=False
            )
            self.fields[f"body_{body.pk}_since"] = forms.IntegerField(
                label=_("Since (year)"), min_value=1950, max_value=this_year, required=False
            )

    def body_rows(self):
        return [
            (body, self[f"body_{body.pk}"], self[f"body_{body.pk}_position"],
             self[f"body_{body.pk}_since"])
            for body in self.bodies
        ]  # fmt: skip

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_kelurahan(self):
        code = self.cleaned_data["kelurahan"]
        return Region.objects.get(code=code, level=Region.Level.DESA_KELURAHAN)

    def clean(self):
        data = super().clean()
        if data.get("nik"):
            checked = check_nik(
                data["nik"], sex=data.get("sex"), birth_date=data.get("birth_date")
            )
            if checked.errors:
                for error in checked.errors:
                    self.add_error("nik", error)
            else:
                data["nik"] = checked.nik
                self.nik_warnings = checked.warnings
                if checked.warnings and not data.get("confirm_nik"):
                    self.add_error(
                        "confirm_nik",
                        _("Check the notes on your NIK, then tick the box to confirm it."),
                    )
        return data

    def profile_details(self):
        """The cleaned data as register_profile takes it."""
        data = self.cleaned_data
        memberships = [
            (body, data[f"body_{body.pk}_position"], data[f"body_{body.pk}_since"])
            for body in self.bodies
            if data.get(f"body_{body.pk}")
        ]
        names = [
            "full_name", "nik", "sex", "birth_place", "birth_date", "phone", "address",
            "kelurahan", "education", "fields", "skills", "training_needs",
        ]  # fmt: skip
        return {**{name: data[name] for name in names}, "memberships": memberships}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the cadre reads it)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CadreFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        field_name="full_name", lookup_expr="icontains", label=_("Name")
    )
    status = django_filters.ChoiceFilter(
        choices=CadreProfile.Status.choices, label=_("Status"), empty_label=_("All")
    )
    kelurahan = django_filters.ChoiceFilter(label=_("Kelurahan"), empty_label=_("All"))

    class Meta:
        model = CadreProfile
        fields = ["name", "status", "kelurahan"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = scope.scoped(
            Region.objects.active()
            .filter(level=Region.Level.DESA_KELURAHAN)
            .select_related("parent"),
            user,
            "code",
            VIEWER_ROLES,
        ).order_by("parent__name", "name")
        groups = {}
        for region in regions:
            groups.setdefault(region.parent.name, []).append((region.code, region.name))
        self.filters["kelurahan"].extra["choices"] = list(groups.items())
