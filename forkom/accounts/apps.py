from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "forkom.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from allauth.account.forms import RequestReauthenticationCodeForm
        from django.contrib.auth.signals import user_logged_in

        # allauth leaves this field without a label: Django names it "Recipient", in English
        # on Indonesian pages too (allauth's view takes no other form class).
        RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Send the code to")

        from forkom.accounts.services import sync_staff_flag

        def staff_flag_at_sign_in(sender: object, user: Any, **kwargs: Any) -> None:
            # A Dinas role that started since the last sign-in opens the admin; one that ran
            # out closes it (the daily sync_staff_flags does the same for everyone).
            sync_staff_flag(user)

        user_logged_in.connect(
            staff_flag_at_sign_in, dispatch_uid="forkom.accounts.staff_flag_at_sign_in", weak=False
        )
