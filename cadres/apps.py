from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadres and forums")

    def ready(self):
        from cadres import selectors
        from forkom import menu_counts

        menu_counts.register("cadres:list", selectors.waiting_for_verification)
