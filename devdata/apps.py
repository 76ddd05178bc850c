from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """Development and benchmark data: demo accounts for `make run`, the national seed."""

    name = "devdata"
    verbose_name = _("Development data")
