import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.consent import CONSENT_VERSION
from cadres.models import Body, CadreProfile, Education, Field, Sex, Topic
from cadres.names import validate_full_name
from cadres.nik import check_nik, normalize_nik
from cadres.phones import normalize_phone
from cadres.services import MINIMUM_AGE, age_on
from forkom import scope, statements
from forkom.fields import ModelMultipleChoiceField
from forkom.filters import ReferenceListFilter
from forkom.territory.codes import subtree_prefix
from forkom.territory.models import Region

# Free text kept to what a person writes by hand: a note or a reason, an address.
NOTE_LENGTH = 2000
ADDRESS_LENGTH = 500
FIRST_BIRTH_YEAR = 1900


def kelurahan_choices(under_code):
    """Kelurahan grouped by kecamatan, for a <select> with one <optgroup> per kecamatan.

    This is what makes the kecamatan → kelurahan choice work without JavaScript.
    """
    rows = statements.kept_rows(
        _kelurahan_lists,
        (Region.objects.db, "below", under_code),
        lambda: _kelurahan(Region.objects.active().below(under_code)),
    )
    return [("", "—"), *_grouped(rows)]


def kelurahan_choices_for(user, roles):
    """The same, limited to the kelurahan where `user` holds one of `roles`."""
    return [("", "—"), *_grouped(_kelurahan_in_reach(user, roles))]


# The kelurahan lists' statements, by region or by viewer (forkom.scope.viewer_key) and
# roles: the rows read afresh, a role granted, moved or ended a new key.
_kelurahan_lists: statements.Kept[statements.Statement | None] = statements.Kept()


def _kelurahan_in_reach(user, roles):
    """The active kelurahan where `user` holds one of `roles`: code, name, kecamatan code and
    name, by the kecamatan's name and their own."""
    roles = tuple(sorted(roles))
    return statements.kept_rows(
        _kelurahan_lists,
        (Region.objects.db, "reach", scope.viewer_key(user), roles),
        lambda: _kelurahan(scope.scoped(Region.objects.active(), user, "code", roles)),
    )


def _kelurahan(regions):
    return (
        regions.filter(level=Region.Level.DESA_KELURAHAN)
        .order_by("parent__name", "name")
        .values_list("code", "name", "parent_id", "parent__name")
    )


def _grouped(rows):
    groups = {}
    for code, name, _kecamatan, kecamatan_name in rows:
        groups.setdefault(kecamatan_name, []).append((code, name))
    return list(groups.items())


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this statement and agree that my data is used for these purposes."),
        error_messages={
            "required": _(
                "Tick this box to agree to the statement: without your agreement the portal "
                "keeps no data about you, so you cannot register as a cadre."
            )
        },
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name (as on your KTP)"), max_length=150, validators=[validate_full_name]
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("The 16-digit number on your KTP (identity card)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{FIRST_BIRTH_YEAR}-01-01"}, format="%Y-%m-%d"
        ),
    )
    phone = forms.CharField(
        label=_("Mobile / WhatsApp number"),
        max_length=24,
        help_text=_("For example 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("Address"), max_length=ADDRESS_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    kelurahan = forms.ChoiceField(
        label=_("Kelurahan where you live (grouped by kecamatan)"),
        # static/js/kelurahan-picker.js adds a kecamatan choice first where JavaScript runs.
        widget=forms.Select(
            attrs={
                "data-kelurahan-picker": "",
                "data-kecamatan-label": _("Kecamatan"),
                "data-all-label": _("All kecamatan"),
            }
        ),
    )
    # No default: a skipped choice must not record "no formal schooling" for the person.
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", _("— choose —")), *Education.choices]
    )
    fields = ModelMultipleChoiceField(
        label=_("Fields of work"),
        model=Field,
        active_only=True,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    training_needs = ModelMultipleChoiceField(
        label=_("Training you need"),
        model=Topic,
        active_only=True,
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

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date.year < FIRST_BIRTH_YEAR:
            raise ValidationError(
                _("Enter a date of birth in %(year)d or later."),
                code="too_early",
                params={"year": FIRST_BIRTH_YEAR},
            )
        # Also refuses a date in the future; register_profile checks the age again.
        if age_on(birth_date, timezone.localdate()) < MINIMUM_AGE:
            raise ValidationError(
                _("Cadres are %(age)d years old or older."),
                code="too_young",
                params={"age": MINIMUM_AGE},
            )
        return birth_date

    def clean_kelurahan(self):
        code = self.cleaned_data["kelurahan"]
        return Region.objects.get(code=code, level=Region.Level.DESA_KELURAHAN)

    def nik_needs_check(self, data):
        return True

    def clean(self):
        data = super().clean()
        if data.get("nik") and not self.nik_needs_check(data):
            data["nik"] = normalize_nik(data["nik"])
        elif data.get("nik"):
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


class ProfileEditForm(ProfileForm):
    """The cadre corrects their profile: the registration form, filled in with what is stored.

    The NIK is checked again (with the warnings to confirm) when it, the sex or the birth
    date changes; an unchanged NIK was checked and confirmed at registration.
    """

    def __init__(self, *args, profile, **kwargs):
        self.profile = profile
        super().__init__(*args, initial=self._initial(profile), **kwargs)

    def _initial(self, profile):
        initial = {
            "full_name": profile.full_name,
            "nik": profile.nik,
            "sex": profile.sex,
            "birth_place": profile.birth_place,
            "birth_date": profile.birth_date,
            "phone": profile.phone_display,
            "address": profile.address,
            "kelurahan": profile.kelurahan_id,
            "education": profile.education,
            "fields": list(profile.fields.values_list("pk", flat=True)),
            "skills": profile.skills,
            "training_needs": list(profile.training_needs.values_list("pk", flat=True)),
        }
        for membership in profile.memberships.all():
            initial[f"body_{membership.body_id}"] = True
            initial[f"body_{membership.body_id}_position"] = membership.position
            initial[f"body_{membership.body_id}_since"] = membership.since_year
        return initial

    def nik_needs_check(self, data):
        profile = self.profile
        return (
            normalize_nik(data.get("nik")) != profile.nik
            or data.get("sex") != profile.sex
            or data.get("birth_date") != profile.birth_date
        )

    def profile_details(self):
        """As for registration, keeping what the form cannot show: retired list entries."""
        details = super().profile_details()
        profile = self.profile
        details["fields"] = [*details["fields"], *profile.fields.filter(is_active=False)]
        details["training_needs"] = [
            *details["training_needs"],
            *profile.training_needs.filter(is_active=False),
        ]
        details["memberships"] += [
            (membership.body, membership.position, membership.since_year)
            for membership in profile.memberships.select_related("body")
            if not membership.body.is_active
        ]
        return details


class AssistedProfileForm(ProfileForm):
    """An officer or staff member fills in the profile of a cadre who has no email."""

    printed_consent = forms.BooleanField(
        label=_(
            "The cadre has read the printed personal-data statement (or had it read to them) "
            "and agreed to it."
        ),
        error_messages={
            "required": _(
                "Tick this box once the cadre has agreed to the printed statement: without "
                "their agreement nothing about them may be stored."
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].label = _("Full name (as on the KTP)")
        self.fields["nik"].help_text = _("The 16-digit number on the cadre's KTP.")
        self.fields["kelurahan"].label = _("Kelurahan where the cadre lives")
        self.fields["kelurahan"].choices = kelurahan_choices_for(user, scope.OFFICERS_AND_STAFF)
        self.fields["training_needs"].label = _("Training the cadre needs")
        self.fields["confirm_nik"].label = _("I have checked: the NIK is correct.")
        self.consent_version = CONSENT_VERSION


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my cadre profile becomes inactive."),
    )


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why? (optional)"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClaimEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("The cadre's email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_LENGTH,
        error_messages={"max_length": _("The note is at most %(limit_value)d characters long.")},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the cadre reads it)"),
        max_length=NOTE_LENGTH,
        error_messages={
            "required": _("Give the reason for the rejection: the cadre will read it."),
            "max_length": _("The reason is at most %(limit_value)d characters long."),
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CadreNameFilter(django_filters.FilterSet):
    """Cadres by a part of their name: the cadre list's search, and the forum manage page's.

    By name only: a phone number or NIK typed here would travel in the page's address (and
    the server's logs), which personal data must not.
    """

    name = django_filters.CharFilter(
        field_name="full_name",
        lookup_expr="icontains",
        label=_("Name"),
        # No name is longer; 10,000 characters are refused, not sent to the database.
        max_length=CadreProfile._meta.get_field("full_name").max_length,
    )

    class Meta:
        model = CadreProfile
        fields = ["name"]


class CadreFilter(CadreNameFilter):
    status = django_filters.ChoiceFilter(
        choices=CadreProfile.Status.choices, label=_("Status"), empty_label=_("All")
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), empty_label=_("All"), method="in_kecamatan"
    )
    kelurahan = django_filters.ChoiceFilter(label=_("Kelurahan"), empty_label=_("All"))
    body = ReferenceListFilter(
        field_name="memberships__body",
        model=Body,
        label=_("Body"),
        empty_label=_("All"),
    )
    field = ReferenceListFilter(
        field_name="fields",
        model=Field,
        label=_("Field of work"),
        empty_label=_("All"),
    )
    training_need = ReferenceListFilter(
        field_name="training_needs",
        model=Topic,
        label=_("Training need"),
        empty_label=_("All"),
    )

    class Meta:
        model = CadreProfile
        fields = ["name", "status", "kecamatan", "kelurahan", "body", "field", "training_need"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rows = _kelurahan_in_reach(user, scope.OFFICERS_AND_ABOVE)
        groups = _grouped(rows)
        # The kecamatan of the kelurahan in reach, from the same rows (no query more).
        kecamatan = {code: name for _code, _name, code, name in rows}
        self.filters["kelurahan"].extra["choices"] = groups
        self.filters["kecamatan"].extra["choices"] = list(kecamatan.items())

    def in_kecamatan(self, queryset, name, code):
        return queryset.filter(kelurahan__code__startswith=subtree_prefix(code))
