from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.announcements.services import NOT_A_SITE_PATH, is_site_path
from cadres.models import Announcement, Body


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; addresses (https://…) become links."),
    )
    region = forms.ChoiceField(label=_("Addressed to"))
    audience = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Announcement.Audience.choices,
        initial=Announcement.Audience.PUBLIC,
        widget=forms.RadioSelect,
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("Only cadres of these bodies"),
        queryset=Body.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the cadres of every body."),
    )
    officers_only = forms.BooleanField(label=_("Only forum officers"), required=False)
    link = forms.CharField(
        label=_("Link (optional)"),
        max_length=300,
        required=False,
        help_text=_("An address on this portal, e.g. /pelatihan/… for a training."),
    )
    pinned = forms.BooleanField(label=_("Pin it at the top"), required=False)

    # Fixed once published: the inboxes it reached were chosen by them.
    ADDRESS = ("region", "audience", "bodies", "officers_only")

    def __init__(self, *args, regions=(), published=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {region.code: region for region in regions}
        self.fields["region"].choices = [
            (region.code, f"{region.name} ({region.code})") for region in regions
        ]
        if published:
            for name in self.ADDRESS:
                del self.fields[name]

    def clean_link(self):
        link = self.cleaned_data["link"].strip()
        if link and not is_site_path(link):
            raise forms.ValidationError(NOT_A_SITE_PATH)
        return link

    def service_fields(self):
        data = dict(self.cleaned_data)
        if "region" in data:
            data["region"] = self.regions[data["region"]]
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
