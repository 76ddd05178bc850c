from allauth.mfa.apps import MFAConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.core import checks
from django.utils.translation import gettext_lazy
from django_tasks_db.apps import TasksAppConfig


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


# Two apps of others, named in the admin's words: their own names ("MFA", "Tasks Database
# Backend") stood in English among the Indonesian sections of a superuser's admin.
class SecondFactorConfig(MFAConfig):
    """allauth's second factor (TOTP and recovery codes)."""

    verbose_name = gettext_lazy("Second factor")


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks-db: the queue of background work (forkom.outbox and the others)."""

    verbose_name = gettext_lazy("Background tasks")  # type: ignore[assignment]  # lazy, as Django allows
