from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programme proposals")

    def ready(self):
        from forkom import menu_counts
        from programs import selectors

        menu_counts.register("programs:waiting", selectors.waiting_to_count)
