"""Import cadres from a spreadsheet: upload, check (by the worker), confirm, write.

Writing is all rows or none, each through assisted registration, so that every cadre gets
what an officer's form gives: an account without a password, the uploader as "registered
by", the consent the uploader confirms was given on paper, an event.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from cadres import services
from cadres.imports.checking import (
    LABELS,
    UPDATABLE,
    Plan,
    check_area,
    check_sheet,
    map_columns,
    unrecognised_columns,
)
from cadres.imports.reading import check_size, open_sheet
from cadres.models import CadreImport, CadreProfile
from forkom import scope, texts
from forkom.conflicts import retried_on_conflict
from forkom.errors import AlreadyDone, BadInput, DomainError, MayNot
from forkom.territory.models import Region
from forkom.texts import gettext as _

Status = CadreImport.Status
# Rows kept for the page and the rejected-rows sheet: enough for any real sheet's mistakes.
KEPT_REJECTIONS = 5000


@retried_on_conflict
def import_cadres(
    *,
    actor: Any,
    plan: Plan,
    apply_updates: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Register every row the check would create and, when asked, apply the updates it
    offers, in one transaction. Returns (created, updated).

    A refusal on any row (a NIK registered meanwhile is not one: it waits for review as on
    the form) undoes every row, and says which line it was. `on_progress(rows written)` is
    called every PROGRESS_EVERY rows, from inside the transaction.
    """
    check_area(actor, plan.area)
    if apply_updates and plan.update and not may_apply_updates(actor, plan.area):
        raise MayNot(_("Only Dinas staff of this area update registered cadres."))
    written = 0
    with transaction.atomic():
        for line, details in plan.create:
            try:
                services.register_assisted(actor=actor, **details)
            except DomainError as error:
                raise DomainError(
                    _("Line %(line)d: %(reason)s Nothing was imported.")
                    % {"line": line, "reason": error.message}
                ) from None
            written += 1
            if on_progress and written % PROGRESS_EVERY == 0:
                on_progress(written)
        updated = 0
        for line, profile_id, changes in plan.update if apply_updates else ():
            try:
                _profile, changed = _update(actor, profile_id, changes)
            except DomainError as error:
                raise DomainError(
                    _("Line %(line)d: %(reason)s Nothing was imported.")
                    % {"line": line, "reason": error.message}
                ) from None
            updated += bool(changed)
            written += 1
            if on_progress and written % PROGRESS_EVERY == 0:
                on_progress(written)
    if on_progress:
        on_progress(written)
    return len(plan.create), updated


PROGRESS_EVERY = 100


def may_apply_updates(actor: Any, area: Region) -> bool:
    """Updating a registered cadre is a correction, which Dinas staff make (correct_profile)."""
    return scope.can_act(actor, area.code, scope.STAFF)


def _update(actor: Any, profile_id: int, changes: dict[str, Any]) -> tuple[Any, list[str]]:
    profile = CadreProfile.objects.get(pk=profile_id)
    values = {name: getattr(profile, name) for name in UPDATABLE} | changes
    return services.correct_profile(
        actor=actor,
        profile=profile,
        full_name=profile.full_name,
        sex=profile.sex,
        birth_date=profile.birth_date,
        skills=profile.skills,
        fields=list(profile.fields.all()),
        training_needs=list(profile.training_needs.all()),
        memberships=None,
        **values,
    )


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


def _plan(cadre_import: CadreImport, on_progress: Callable[[int], None] | None = None) -> Plan:
    with cadre_import.file.open("rb") as stream:
        return check_sheet(
            open_sheet(stream, cadre_import.file_name),
            actor=cadre_import.uploaded_by,
            area=cadre_import.area,
            chosen={key: int(index) for key, index in cadre_import.mapping.items()},
            on_progress=on_progress,
        )


def run_check(import_id: int) -> None:
    """The worker's part: check every row and keep what the page shows."""
    cadre_import = CadreImport.objects.select_related("area", "uploaded_by").get(pk=import_id)
    if cadre_import.status != Status.CHECKING:
        return

    def checked(rows: int) -> None:  # outside any transaction: the page sees it at once
        CadreImport.objects.filter(pk=import_id).update(checked=rows)

    try:
        plan = _plan(cadre_import, on_progress=checked)
    except DomainError as error:
        _finish(cadre_import, Status.FAILED, message=error.message)
        return
    except Exception:
        # A fault of ours, not of the file: the uploader is told the check failed instead of
        # watching "being checked" for ever; the worker logs the error and its traceback.
        _finish(
            cadre_import,
            Status.FAILED,
            message=_("The check failed on our side. Upload the file again later."),
        )
        raise
    cadre_import.refresh_from_db(fields=["checked"])
    cadre_import.header = plan.header
    cadre_import.missing_columns = plan.missing
    cadre_import.to_create = len(plan.create)
    cadre_import.unchanged = len(plan.unchanged)
    cadre_import.to_update = len(plan.update)
    cadre_import.updates = [
        [line, sorted(str(LABELS[name]) for name in changes)]
        for line, _profile, changes in plan.update[:KEPT_REJECTIONS]
    ]
    cadre_import.rejected = len(plan.rejected)
    # Every language's reason, rendered now: the worker speaks the site's language only.
    cadre_import.rejections = [
        [
            r.line,
            r.column,
            texts.in_each_language(r.reason),
            ["" if c is None else str(c) for c in r.cells],
        ]
        for r in plan.rejected[:KEPT_REJECTIONS]
    ]
    _finish(cadre_import, Status.CHECKED, finished=False)


def map_import_columns(
    *, actor: Any, cadre_import: CadreImport, chosen: dict[int, str]
) -> CadreImport:
    """The uploader says which field each unrecognised column holds ({column index: key},
    "" to ignore it); the worker checks the sheet again with that choice."""
    from cadres import tasks

    with transaction.atomic():
        locked = CadreImport.objects.select_for_update().get(pk=cadre_import.pk)
        if locked.uploaded_by_id != getattr(actor, "pk", None):
            raise MayNot(_("Only the person who uploaded the sheet maps its columns."))
        if locked.status != Status.CHECKED or not locked.missing_columns or not locked.file:
            raise DomainError(_("The columns of this sheet cannot be mapped any more."))
        recognised = map_columns(locked.header)
        free = dict(unrecognised_columns(locked.header, recognised))
        mapping: dict[str, int] = {}
        for index, key in chosen.items():
            if not key:
                continue
            if index not in free or key not in LABELS:
                raise BadInput(_("Choose the columns from the list."))
            if key in mapping or key in recognised:
                raise BadInput(
                    _("Two columns are mapped to %(column)s: choose one.")
                    % {"column": LABELS[key]}
                )
            mapping[key] = index
        locked.mapping = mapping
        locked.status = Status.CHECKING
        locked.missing_columns = []
        locked.rejections = []
        locked.rejected = locked.to_create = locked.unchanged = locked.to_update = 0
        locked.checked = 0
        locked.save()
        tasks.check_import.enqueue(locked.pk)
    return locked


def confirm_import(
    *, actor: Any, cadre_import: CadreImport, apply_updates: bool = False
) -> CadreImport:
    """The uploader confirms: the worker writes the rows (and, when asked, the updates the
    check offered). Confirming twice does it once."""
    from cadres import tasks

    if apply_updates and not may_apply_updates(actor, cadre_import.area):
        raise MayNot(_("Only Dinas staff of this area update registered cadres."))

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
        locked.apply_updates = apply_updates and bool(locked.to_update)
        locked.written = 0
        locked.save(update_fields=["status", "apply_updates", "written"])
        tasks.run_import.enqueue(locked.pk)
    return locked


def run_import(import_id: int) -> None:
    """The worker's part: check again (the area may have changed) and write all or nothing."""
    cadre_import = CadreImport.objects.select_related("area", "uploaded_by").get(pk=import_id)
    if cadre_import.status != Status.IMPORTING:
        return
    reporter = _ProgressReporter(import_id)
    try:
        plan = _plan(cadre_import)
        if plan.rejected:
            raise DomainError(_("Rows became invalid since the check; upload the sheet again."))
        created, updated = import_cadres(
            actor=cadre_import.uploaded_by,
            plan=plan,
            apply_updates=cadre_import.apply_updates,
            on_progress=reporter.report,
        )
    except DomainError as error:
        reporter.close()
        _finish(cadre_import, Status.FAILED, message=error.message)
        return
    reporter.close()
    cadre_import.created = created
    cadre_import.updated = updated
    cadre_import.written = created + updated
    cadre_import.unchanged = plan.counts_when(apply_updates=cadre_import.apply_updates)[
        "unchanged"
    ]
    _finish(cadre_import, Status.IMPORTED)


class _ProgressReporter:
    """Writes "rows written" through a second database connection, in its own autocommit,
    so that the page sees it while the import's single transaction is still open (the rows
    themselves stay invisible until it commits). SQLite has one writer at a time: there
    the count appears when the import ends."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def report(self, written: int) -> None:
        if self.side is None:
            return
        try:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {CadreImport._meta.db_table} SET written = %s WHERE id = %s",
                    [written, self.import_id],
                )
        except DatabaseError:
            pass  # the progress is a courtesy: never let it stop the import

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _finish(
    cadre_import: CadreImport, status: str, *, message: str = "", finished: bool = True
) -> None:
    cadre_import.status = status
    # The site's language in `message`, the others beside it: the reader's page chooses.
    cadre_import.message, cadre_import.other_messages = texts.apart(
        texts.in_each_language(message) if message else {}
    )
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
