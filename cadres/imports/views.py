"""The import pages: template, upload, the check's result, confirmation, refused rows."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import save_workbook

from cadres.imports import services
from cadres.imports.checking import (
    COLUMNS,
    EXAMPLE,
    LABELS,
    map_columns,
    unrecognised_columns,
)
from cadres.imports.forms import ImportForm, MappingForm, importable_areas
from cadres.models import CadreImport
from forkom import spreadsheets
from forkom.http import act, form_status, refusals_on, refuse


def _require_importer(user):
    if not user.is_authenticated or not importable_areas(user):
        raise Http404


def _own_import(user, public_id) -> CadreImport:
    cadre_import = (
        CadreImport.objects.filter(uploaded_by=user, public_id=public_id)
        .select_related("area")
        .first()
    )
    if cadre_import is None:
        raise Http404
    return cadre_import


@login_required
def start(request):
    """Upload a sheet; the sheets this person uploaded before, newest first."""
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            cadre_import = services.upload_import(
                actor=request.user,
                area=form.cleaned_data["area"],
                upload=form.cleaned_data["file"],
            )
            return redirect(cadre_import)
    history = CadreImport.objects.filter(uploaded_by=request.user).select_related("area")[:20]
    return render(
        request,
        "cadres/imports/start.html",
        {"form": form, "history": history},
        status=form_status(request, form),
    )


@login_required
def template(request):
    """An empty sheet with the columns in Indonesian and one example row."""
    _require_importer(request.user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kader"
    sheet.append([label for _key, label, _required, _variants in COLUMNS])
    sheet.append(EXAMPLE)
    # Text columns, the cells written and the whole columns below them: Excel keeps the
    # 16 digits of a NIK typed on any row, not only on the example's.
    for column in sheet.columns:
        for cell in column:
            cell.number_format = "@"
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    response = HttpResponse(content_type=spreadsheets.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-kader.xlsx"'
    save_workbook(workbook, response)
    return response


def _mapping_form(cadre_import: CadreImport, data=None) -> MappingForm | None:
    if not (cadre_import.status == CadreImport.Status.CHECKED and cadre_import.missing_columns):
        return None
    columns = unrecognised_columns(cadre_import.header, map_columns(cadre_import.header))
    return MappingForm(data, columns=columns) if columns else None


@login_required
def detail(request, public_id):
    """Where the sheet stands: being checked, the result to confirm, imported or refused."""
    cadre_import = _own_import(request.user, public_id)
    return _detail(request, cadre_import, _mapping_form(cadre_import))


def _detail(request, cadre_import, mapping_form, status=200):
    response = render(
        request,
        "cadres/imports/detail.html",
        {
            "cadre_import": cadre_import,
            "rejections": cadre_import.rejections_shown(200),
            "updates": cadre_import.updates[:200],
            "may_apply_updates": services.may_apply_updates(request.user, cadre_import.area),
            "mapping_form": mapping_form,
            "missing_labels": [LABELS[key] for key in cadre_import.missing_columns],
            "waiting": cadre_import.status
            in (CadreImport.Status.CHECKING, CadreImport.Status.IMPORTING),
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def map_columns_view(request, public_id):
    """The uploader maps the columns the check did not recognise; the check runs again."""
    cadre_import = _own_import(request.user, public_id)
    form = _mapping_form(cadre_import, request.POST)
    if form is None:
        return refuse(
            request,
            _("The columns of this sheet cannot be mapped any more."),
            status=409,
            back_url=cadre_import.get_absolute_url(),
        )
    if form.is_valid():
        with refusals_on(form):
            services.map_import_columns(
                actor=request.user, cadre_import=cadre_import, chosen=form.chosen()
            )
            return redirect(cadre_import)
    return _detail(request, cadre_import, form, status=400)


@login_required
@require_POST
def confirm(request, public_id):
    cadre_import = _own_import(request.user, public_id)
    return act(
        request,
        services.confirm_import,
        back=cadre_import.get_absolute_url(),
        done=_("The sheet is being imported. This page shows when it is done."),
        cadre_import=cadre_import,
        apply_updates=request.POST.get("apply_updates") == "on",
    )


@login_required
def rejected(request, public_id):
    """The refused rows as they were, with a column saying why: fix and upload again."""
    cadre_import = _own_import(request.user, public_id)
    if not cadre_import.rejections:
        raise Http404
    rows = [[_("Line"), _("Column"), _("Reason"), *cadre_import.header]]
    rows += [
        [line, column, reason, *cells]
        for line, column, reason, cells in cadre_import.rejections_shown()
    ]
    response = spreadsheets.xlsx_response(rows, "baris-ditolak.xlsx", sheet_name=_("Rejected"))
    response["Cache-Control"] = "private, no-store"
    return response
