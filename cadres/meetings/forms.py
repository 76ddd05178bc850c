from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forums.forms import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item per line."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at (WITA)"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at (WITA)"), widget=TimeInput())
    invitees = forms.TypedMultipleChoiceField(
        label=_("Invitees"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The forum's officers and members; untick whoever is not invited."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].choices = [
            (c.user_id, f"{c.name} — {c.position}" if c.position else c.name) for c in candidates
        ]
        self.fields["invitees"].initial = [c.user_id for c in candidates]

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The meeting must end after it starts."))
            else:
                zone = timezone.get_default_timezone()
                data["starts_at"] = datetime.combine(day, starts, tzinfo=zone)
                data["ends_at"] = datetime.combine(day, ends, tzinfo=zone)
                # Invitees answer until it starts: a start already past has no one to ask.
                if data["starts_at"] <= timezone.now():
                    self.add_error("day", _("A meeting is called ahead: choose a time to come."))
        return data


class MinutesForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who attended"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes (notulen)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What was discussed, item by item."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (i.pk, f"{i.name} — {i.position}" if i.position else i.name) for i in invitations
        ]


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Follow-up"), max_length=300, required=False)
    responsible = forms.TypedChoiceField(
        label=_("Person responsible"), coerce=int, required=False, empty_value=None
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), required=False)

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "—")] + [(i.pk, i.name) for i in invitations]

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(name)) for name in ("text", "responsible", "due_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("A follow-up needs what, who is responsible and by when.")
            )
        return data


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=20, absolute_max=20)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("hadir", _("I will attend")), ("tidak_hadir", _("I will not attend"))]
    )
