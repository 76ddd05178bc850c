"""The portal's allauth adapter: where allauth's own flows lead."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        """After a password is set or changed: the person's home, where the message says it
        is done. allauth shows the change form again, which asked a cadre who had just
        chosen their first password (after signing in with a code) for their current one."""
        return reverse("home")
