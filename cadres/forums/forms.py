"""Forms of the forum manage page. They parse input; the rules live in cadres.forums.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forums import selectors as selectors
from cadres.models import CadreProfile, Field
from forkom.accounts.models import Position
from forkom.fields import ModelChoiceField, is_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CadreChoiceField(ModelChoiceField):
    """A cadre by the profile's public id, posted in a hidden field by the forms of the
    manage page's search and member rows (never a <select>: an area may hold thousands)."""

    widget = forms.HiddenInput

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="public_id", **kwargs)


class SkForm(forms.Form):
    number = forms.CharField(label=_("SK number"), max_length=100)
    date = forms.DateField(label=_("SK date"), widget=DateInput)


class AppointForm(forms.Form):
    cadre = CadreChoiceField(
        queryset=None,
        label=_("Cadre"),
        error_messages={"invalid_choice": _("Choose a verified cadre of this area.")},
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    field = ModelChoiceField(
        model=Field,
        active_only=True,
        label=_("Field (for a koordinator bidang)"),
        required=False,
        empty_label="—",
    )
    starts_on = forms.DateField(label=_("Term starts on"), widget=DateInput)

    def __init__(self, *args, region, **kwargs):
        kwargs["initial"] = {"starts_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, prefix="appoint", **kwargs)
        self.fields["cadre"].queryset = selectors.appointment_candidates(region)


class TermChoiceField(ModelChoiceField):
    """A current term by its id; what cannot be an id at all is "invalid", not "ended"."""

    default_error_messages = {"invalid": _("Choose a current term to end.")}

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class EndTermForm(forms.Form):
    assignment = TermChoiceField(queryset=None)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = selectors.current_officer_assignments(region)


class AddMemberForm(forms.Form):
    cadre = CadreChoiceField(
        queryset=None,
        label=_("Cadre"),
        error_messages={"invalid_choice": _("Choose a verified cadre of this area.")},
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, prefix="member", **kwargs)
        self.fields["cadre"].queryset = selectors.member_candidates(region)


class RemoveMemberForm(forms.Form):
    cadre = CadreChoiceField(queryset=None)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever is a member now, also one no longer verified or since moved away.
        self.fields["cadre"].queryset = CadreProfile.objects.filter(
            forum_memberships__forum_id=region.code, forum_memberships__ended_on__isnull=True
        )
