"""The period a dashboard's activity figures are read for."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forums.forms import DateInput
from dashboard.selectors import Period

# Long enough for a five-year programme and its run-up, short enough to stay one query.
LONGEST_DAYS = 10 * 366
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


class PeriodForm(forms.Form):
    """`?dari=2026-01-01&sampai=2026-12-31`: both days or neither (the default figures)."""

    dari = forms.DateField(label=_("From"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both the first and the last day, or neither."))
        if start is None:
            return data
        for name, day in (("dari", start), ("sampai", end)):
            if not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a day between the years 2000 and 2099."))
        if self.errors:
            return data
        if end < start:
            self.add_error("sampai", _("The last day cannot come before the first."))
        elif (end - start).days > LONGEST_DAYS:
            self.add_error("sampai", _("A period is at most ten years long."))
        return data

    def period(self) -> Period | None:
        """The period asked for, once the form is valid; None for the default figures."""
        start, end = self.cleaned_data.get("dari"), self.cleaned_data.get("sampai")
        return Period(start, end) if start and end else None
