from django import forms
from django.utils.translation import gettext_lazy as _


class CodeSignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Mobile number or NIK"),
        max_length=40,
        help_text=_("The number or the NIK your forum officer registered, e.g. 0812-3456-7890."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("The 8 characters your forum officer gave you, e.g. ABCD-2345."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
