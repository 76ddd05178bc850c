"""Import cadres from a spreadsheet: upload, check (by the worker), confirm, write.

Writing is all rows or none, each through assisted registration, so that every cadre gets
what an officer's form gives: an account without a password, the uploader as "registered
by", the consent the uploader confirms was given on paper, an event.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import services
from cadres.imports.checking import Plan, check_area, check_sheet
from cadres.imports.reading import check_size, open_sheet
from cadres.models import CadreImport
from forkom.errors import AlreadyDone, DomainError
from forkom.territory.models import Region

Status = CadreImport.Status
# Rows kept for the page and the rejected-rows sheet: enough for any real sheet's mistakes.
KEPT_REJECTIONS = 5000


def import_cadres(*, actor: Any, plan: Plan) -> int:
    """Register every row the check would create, in one transaction.

    A refusal on any row (a NIK registered meanwhile is not one: it waits for review as on
    the form) undoes every row, and says which line it was.
    """
    check_area(actor, plan.area)
    with transaction.atomic():
        for line, details in plan.create:
            try:
                services.register_assisted(actor=actor, **details)
            except DomainError as error:
                raise DomainError(
                    _("Line %(line)d: %(reason)s Nothing was imported.")
                    % {"line": line, "reason": error.message}
                ) from None
    return len(plan.create)


def upload_import(*, actor: Any, area: Region, upload: UploadedFile) -> CadreImport:
    """Keep the uploaded sheet and have the worker check it."""
    from cadres import tasks

    check_area(actor, area)
    check_size(upload.size or 0)
    name = (upload.name or "kader").replace("\x00", "")[:200]
    with transaction.atomic():
        cadre_import = CadreImport.objects.create(
            uploaded_by=actor, area=area, file=upload, file_name=name
        )
        tasks.check_import.enqueue(cadre_import.pk)
    return cadre_import


def _plan(cadre_import: CadreImport) -> Plan:
    with cadre_import.file.open("rb") as stream:
        return check_sheet(
            open_sheet(stream, cadre_import.file_name),
            actor=cadre_import.uploaded_by,
            area=cadre_import.area,
        )


def run_check(import_id: int) -> None:
    """The worker's part: check every row and keep what the page shows."""
    cadre_import = CadreImport.objects.select_related("area", "uploaded_by").get(pk=import_id)
    if cadre_import.status != Status.CHECKING:
        return
    try:
        plan = _plan(cadre_import)
    except DomainError as error:
        _finish(cadre_import, Status.FAILED, message=error.message)
        return
    cadre_import.header = plan.header
    cadre_import.to_create = len(plan.create)
    cadre_import.unchanged = len(plan.unchanged)
    cadre_import.rejected = len(plan.rejected)
    cadre_import.rejections = [
        [r.line, r.column, r.reason, ["" if c is None else str(c) for c in r.cells]]
        for r in plan.rejected[:KEPT_REJECTIONS]
    ]
    _finish(cadre_import, Status.CHECKED, finished=False)


def confirm_import(*, actor: Any, cadre_import: CadreImport) -> CadreImport:
    """The uploader confirms: the worker writes the rows. Confirming twice does it once."""
    from cadres import tasks

    with transaction.atomic():
        locked = CadreImport.objects.select_for_update().get(pk=cadre_import.pk)
        if locked.uploaded_by_id != getattr(actor, "pk", None):
            raise DomainError(_("Only the person who uploaded the sheet confirms it."))
        if locked.status in (Status.IMPORTING, Status.IMPORTED):
            raise AlreadyDone(_("This sheet is already being imported."))
        if locked.status != Status.CHECKED:
            raise DomainError(_("This sheet cannot be imported."))
        if locked.rejected:
            raise DomainError(
                _("Correct the rejected rows and upload the sheet again; nothing was imported.")
            )
        locked.status = Status.IMPORTING
        locked.save(update_fields=["status"])
        tasks.run_import.enqueue(locked.pk)
    return locked


def run_import(import_id: int) -> None:
    """The worker's part: check again (the area may have changed) and write all or nothing."""
    cadre_import = CadreImport.objects.select_related("area", "uploaded_by").get(pk=import_id)
    if cadre_import.status != Status.IMPORTING:
        return
    try:
        plan = _plan(cadre_import)
        if plan.rejected:
            raise DomainError(_("Rows became invalid since the check; upload the sheet again."))
        created = import_cadres(actor=cadre_import.uploaded_by, plan=plan)
    except DomainError as error:
        _finish(cadre_import, Status.FAILED, message=error.message)
        return
    cadre_import.created = created
    cadre_import.unchanged = len(plan.unchanged)
    _finish(cadre_import, Status.IMPORTED)


def _finish(
    cadre_import: CadreImport, status: str, *, message: str = "", finished: bool = True
) -> None:
    cadre_import.status = status
    cadre_import.message = message
    if finished:
        cadre_import.finished_at = timezone.now()
        # The sheet holds personal data: once imported or refused it is not kept.
        if cadre_import.file:
            cadre_import.file.delete(save=False)
    cadre_import.save()


# An uploaded sheet nobody confirmed is not kept longer than a prepared download.
UNCONFIRMED_KEPT_FOR = timedelta(days=1)


def prune_unconfirmed_imports(now: datetime | None = None) -> int:
    """Refuse sheets checked more than a day ago and never confirmed, deleting the file (it
    holds personal data); the history keeps the counts. Returns how many."""
    now = now or timezone.now()
    stale = CadreImport.objects.filter(
        status__in=[Status.CHECKING, Status.CHECKED],
        uploaded_at__lt=now - UNCONFIRMED_KEPT_FOR,
    )
    count = 0
    for cadre_import in stale:
        _finish(
            cadre_import,
            Status.FAILED,
            message=_("Not confirmed within a day: the sheet was deleted. Upload it again."),
        )
        count += 1
    return count
