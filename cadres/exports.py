"""Downloads: a cadre's own data (JSON, "data saya") and officers' cadre lists (CSV, XLSX).

The lists hold only what an officer needs to reach and count cadres: the NIK masked, no
birth date, no address. Rows are read in chunks of plain values with their bodies and
fields, so the queries grow only by three per CHUNK_SIZE rows and memory stays flat.
"""

import json
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.consent import CONSENT_VERSION
from cadres.models import (
    CadreMembership,
    CadreProfile,
    ExportJob,
    Sex,
    mask_nik,
)
from cadres.phones import display_phone
from forkom import personal_data as collected_personal_data
from forkom import scope, spreadsheets
from forkom.accounts.selectors import staff_without_second_factor

CHUNK_SIZE = 500
FORMATS = spreadsheets.FORMATS


# --- Data saya --------------------------------------------------------------------------


def personal_data(user):
    """Everything stored about `user`, and nothing about anyone else: each app's part, as it
    declares it in its personal_data module (forkom.personal_data).

    Officers and staff who acted on the person appear only as "by you" or not: their names
    are their own personal data. On a proposal, only the user's own moves carry their note,
    and only the user's own comments are listed; teammates appear not at all.
    """
    return {
        "generated_at": timezone.now(),
        "consent_text_version": CONSENT_VERSION,
        **collected_personal_data.export(user),
    }


def personal_data_response(user):
    body = json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"data-saya-forkom-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Cadre lists for officers -------------------------------------------------------------


def _headers(with_phone):
    headers = [
        _("Name"),
        _("NIK (masked)"),
        _("Sex"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Bodies"),
        _("Fields of work"),
        _("Status"),
    ]
    return [*headers, _("Mobile / WhatsApp")] if with_phone else headers


def _sees_phones(viewer):
    """Officers and staff reach their cadres by phone; staff (and superusers) only once they
    have turned on two-factor authentication."""
    if staff_without_second_factor(viewer):
        return False
    return viewer.is_superuser or bool(scope.region_codes(viewer, scope.OFFICERS_AND_STAFF))


def cadre_rows(queryset, viewer):
    """The header, then one row per cadre.

    The phone column is there for forum officers and Dinas staff, filled for the cadres of
    their own area; the Koordinator Kota gets none. Rows are read as plain values,
    CHUNK_SIZE at a time, each chunk with one query for its bodies and one for its fields:
    three queries per chunk, no model instances.
    """
    with_phone = _sees_phones(viewer)
    yield _headers(with_phone)
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in CadreProfile.Status.choices}
    rows = queryset.select_related(None).values_list(
        "pk",
        "full_name",
        "nik",
        "sex",
        "status",
        "phone",
        "kelurahan_id",
        "kelurahan__name",
        "kelurahan__parent__name",
    )
    for chunk in batched(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        bodies = _names_by_profile(
            CadreMembership.objects.filter(profile_id__in=ids)
            .order_by("body__sort_order", "body__name")
            .values_list("profile_id", "body__name")
        )
        fields = _names_by_profile(
            CadreProfile.fields.through.objects.filter(cadreprofile_id__in=ids)
            .order_by("field__sort_order", "field__name")
            .values_list("cadreprofile_id", "field__name")
        )
        for pk, name, nik, sex, status, phone, code, kelurahan, kecamatan in chunk:
            row = [
                name,
                mask_nik(nik),
                sexes.get(sex, sex),
                kelurahan,
                kecamatan,
                ", ".join(bodies.get(pk, ())),
                ", ".join(fields.get(pk, ())),
                statuses.get(status, status),
            ]
            if with_phone:
                row.append(
                    display_phone(phone)
                    if scope.can_act(viewer, code, scope.OFFICERS_AND_STAFF)
                    else ""
                )
            yield row


def _names_by_profile(pairs):
    names = {}
    for profile_id, name in pairs:
        names.setdefault(profile_id, []).append(name)
    return names


def cadre_list_response(queryset, format, viewer):
    """The list as CSV or XLSX, every cell as text (a NIK or phone must not become a number)."""
    rows = ([str(value) for value in row] for row in cadre_rows(queryset, viewer))
    return spreadsheets.response(
        format,
        rows,
        f"kader-forkom-{timezone.localdate():%Y-%m-%d}",
        sheet_name=_("Cadres"),
        widths=(30, 20, 12, 20, 18, 30, 30, 22, 16),  # the last, phone, may be absent
    )


# --- Long lists: built by the worker ---------------------------------------------------------

# An XLSX of more rows than this is built by the task worker (a province-wide list takes
# longer than a request may); a CSV streams row by row and never needs to.
EXPORT_IN_BACKGROUND_ROWS = 5_000
# How long a prepared file may be downloaded before it is deleted with its row.
EXPORT_KEPT_FOR = timedelta(days=1)


def in_background(queryset, format):
    return format == "xlsx" and queryset.count() > getattr(
        settings, "FORKOM_EXPORT_IN_BACKGROUND_ROWS", EXPORT_IN_BACKGROUND_ROWS
    )


def request_export(*, actor, query):
    """Ask the worker for the cadre list of `query` (the list page's filters), as `actor` sees
    it when the file is built."""
    from cadres import tasks

    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=actor, query=query[:2000])
        tasks.build_export.enqueue(job.pk)
    return job


def build_export(job_id):
    """The worker's part: the same rows, scope and filters as the page, into a file."""
    from cadres import selectors
    from cadres.forms import CadreFilter

    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != ExportJob.Status.WAITING:
        return
    viewer = job.requested_by
    cadres = CadreFilter(QueryDict(job.query), queryset=selectors.cadres_for(viewer), user=viewer)
    if cadres.errors or not viewer.is_active:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now()
        )
        return
    count = 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            yield [str(value) for value in row]

    with spreadsheets.xlsx_file(
        counted(cadre_rows(cadres.qs, viewer)),
        sheet_name=_("Cadres"),
        widths=(30, 20, 12, 20, 18, 30, 30, 22, 16),
    ) as output:
        job.file.save(f"{job.public_id}.xlsx", File(output), save=False)
    job.status = ExportJob.Status.READY
    job.row_count = max(count - 1, 0)
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "row_count", "finished_at"])


def prune_exports(now=None):
    """Delete prepared files older than EXPORT_KEPT_FOR; returns how many."""
    now = now or timezone.now()
    old = list(ExportJob.objects.filter(created_at__lt=now - EXPORT_KEPT_FOR))
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(old)
