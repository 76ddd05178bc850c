from django.db import models
from django.utils.translation import gettext_lazy as _


class ForgottenPerson(models.Model):
    """That a person was forgotten (forkom.personal_data.forget), and when.

    A restore of an older backup brings back what was anonymised since; this record, and its
    copy in the deletion log file outside the database (forkom/deletion_log.py), let
    `manage.py reapply_deletions` forget them again. It holds nothing personal of its own:
    the account's id and the cadre profile's public id mean nothing outside this database.
    """

    # A plain number, not a key: the record must outlive the rows it names, as a restored
    # database may not hold them.
    user_id = models.BigIntegerField(_("account id"), db_index=True)
    public_id = models.UUIDField(_("public id"), null=True, blank=True)
    at = models.DateTimeField(_("forgotten at"), db_index=True)

    class Meta:
        verbose_name = _("forgotten person")
        verbose_name_plural = _("forgotten persons")

    def __str__(self):
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}"
