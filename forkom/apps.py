from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ForkomConfig(AppConfig):
    """The project package itself: template tags, formats and site-wide views."""

    name = "forkom"
    verbose_name = "Forkom KPM"

    def ready(self) -> None:
        from forkom import lookups

        lookups.register()


class ForkomAdminConfig(AdminConfig):
    """Django's admin, with the site that requires a Dinas role and two-factor sign-in."""

    default_site = "forkom.admin.ForkomAdminSite"
