from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "forkom.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
