from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.core import checks


class ForkomConfig(AppConfig):
    """The project package itself: template tags, formats, site-wide views, the deletion log."""

    name = "forkom"
    verbose_name = "Forkom KPM"

    def ready(self) -> None:
        from forkom import deletion_log

        checks.register(deletion_log.check_log_path, "personal_data", deploy=True)

        from forkom import lookups

        lookups.register()


class ForkomAdminConfig(AdminConfig):
    """Django's admin, with the site that requires a Dinas role and two-factor sign-in."""

    default_site = "forkom.admin.ForkomAdminSite"
