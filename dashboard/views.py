"""The coordinator's city dashboard, its kecamatan drill-down, and the province dashboard.

Who reaches what is forkom.scope's answer (selectors.get_*_or_404): the Koordinator Kota
and the Dinas staff over a kota see its dashboard, Dinas staff of a province the province
dashboard; to everyone else they do not exist. Decisions on the queues go through the
programs services, as on the proposal page.
"""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.announcements.selectors import public_about
from cadres.meetings import selectors as meeting_selectors
from dashboard import charts, exports, links, selectors, work
from dashboard.forms import PeriodForm
from forkom import replica, scope
from forkom import views as site_views
from forkom.http import act, refuse, safe_back
from forkom.territory.models import Region
from programs import selectors as program_selectors
from programs import services
from programs.forms import NoteForm

# What the buttons of the queues ask for.
DECISIONS = {
    "escalate": services.escalate_proposal,
    "accept": services.accept_proposal,
    "return": services.return_proposal,
    "decline": services.decline_proposal,
}


def landing(request):
    """`/`: the public page for visitors; for a signed-in person, what they have to do now."""
    if not request.user.is_authenticated:
        return site_views.home(
            request,
            {"announcements": public_about(settings.FORKOM_HOME_REGION, limit=3)},
        )
    response = render(
        request,
        "dashboard/work.html",
        {"work": work.work_of(request.user), "now": timezone.now()},
    )
    response["Cache-Control"] = "private, no-store"  # one person's work, never shared
    return response


@login_required
def home(request):
    """The dashboards the user may open; straight to it when there is only one."""
    grants = [
        grant
        for grant in scope.grants(request.user)
        if grant.role in scope.CITY_AND_ABOVE
        and len(grant.region_code) <= selectors.CODE_LENGTH[Region.Level.KABUPATEN_KOTA]
    ]
    codes = sorted({grant.region_code for grant in grants})
    if request.user.is_superuser and not codes:
        areas = list(Region.objects.active().filter(level=Region.Level.PROVINSI))
    else:
        areas = list(Region.objects.filter(code__in=codes))
    if not areas:
        raise Http404
    if len(areas) == 1:
        return redirect(_dashboard_url(areas[0]))
    return render(
        request,
        "dashboard/home.html",
        {"areas": [(area, _dashboard_url(area)) for area in areas]},
    )


def _dashboard_url(area):
    if area.level == Region.Level.PROVINSI:
        return reverse("dashboard:province", args=[area.code])
    return reverse("dashboard:city", args=[area.code])


def _period(request):
    """The period form of a dashboard (`?dari=&sampai=`), the period it asks for (None: the
    default figures), and the page's status: 400 when the days cannot be read, with the
    reason beside the field and the default figures shown."""
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.period(), 200
    return form, None, 400


def _queue_rows(queue):
    # A one-time token per form: the same form posted twice moves the proposal once.
    return [(proposal, uuid.uuid4()) for proposal in queue]


@login_required
def city(request, code):
    city = selectors.get_city_or_404(request.user, code)
    period_form, period, status = _period(request)
    board = links.attach(
        selectors.dashboard(request.user, city, with_signups=True, period=period), city.code
    )
    may_decide = selectors.may_escalate(request.user, city)
    return render(
        request,
        "dashboard/city.html",
        {
            "period_form": period_form,
            "board": board,
            "row_kind": "kecamatan",
            "charts": _charts(board, "kecamatan"),
            "queue": _queue_rows(selectors.escalation_queue(request.user, city, may_decide)),
            "may_decide": may_decide,
            "province_url": _province_url(request.user, city),
            "meetings_held": _meetings_held(city.code, period),
        },
        status=status,
    )


def _meetings_held(code, period=None):
    """Each forum of the area (kecamatan and kelurahan) with its meetings held in the last
    90 days (or in the period): an active forum, not only a formed one."""
    with replica.reads():
        return _held(code, period)


def _held(code, period):
    regions = list(
        Region.objects.active()
        .filter(
            code__startswith=code + ".",
            level__in=[Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN],
        )
        .order_by("code")
        .only("code", "name", "level")
    )
    codes = [region.code for region in regions]
    if period is None:
        counts = meeting_selectors.held_recently(codes)
    else:
        counts = meeting_selectors.held_between(codes, *period.bounds())
    return [(region, counts.get(region.code, 0)) for region in regions]


@login_required
def city_kecamatan(request, code, kecamatan_code):
    kecamatan = selectors.get_kecamatan_or_404(request.user, code, kecamatan_code)
    period_form, period, status = _period(request)
    board = links.attach(selectors.dashboard(request.user, kecamatan, period=period), code)
    return render(
        request,
        "dashboard/kecamatan.html",
        {
            "period_form": period_form,
            "board": board,
            "row_kind": "kelurahan",
            "kecamatan": kecamatan,
            "city": kecamatan.parent,
            "meetings_held": _meetings_held(kecamatan.code, period),
        },
        status=status,
    )


@login_required
def province(request, code):
    province = selectors.get_province_or_404(request.user, code)
    period_form, period, status = _period(request)
    board = links.attach(
        selectors.dashboard(request.user, province, with_signups=True, period=period)
    )
    may_decide = selectors.may_accept(request.user, province)
    return render(
        request,
        "dashboard/province.html",
        {
            "period_form": period_form,
            "board": board,
            "row_kind": "kota",
            "charts": _charts(board, "kota"),
            "queue": _queue_rows(selectors.province_queue(request.user, province, may_decide)),
            "may_decide": may_decide,
            "innovations": selectors.channelled_innovations(request.user, province),
        },
        status=status,
    )


def _province_url(user, city):
    """The province dashboard, for Dinas staff of the province that holds the kota."""
    province_code = city.parent_id
    if province_code and scope.can_act(user, province_code, scope.STAFF):
        return reverse("dashboard:province", args=[province_code])
    return ""


@login_required
def city_export(request, code, format):
    if format not in exports.FORMATS:
        raise Http404
    city = selectors.get_city_or_404(request.user, code)
    return _export(request, city, "kecamatan", format)


@login_required
def city_kecamatan_export(request, code, kecamatan_code, format):
    if format not in exports.FORMATS:
        raise Http404
    kecamatan = selectors.get_kecamatan_or_404(request.user, code, kecamatan_code)
    return _export(request, kecamatan, "kelurahan", format)


@login_required
def province_export(request, code, format):
    if format not in exports.FORMATS:
        raise Http404
    province = selectors.get_province_or_404(request.user, code)
    return _export(request, province, "kota", format)


def _export(request, area, row_kind, format):
    """The dashboard's table as a file, for the period the page showed."""
    _form, period, status = _period(request)
    if status != 200:
        return refuse(
            request,
            _("Check the period and try again."),
            back_url=request.path.rpartition("/")[0] + "/",
        )
    board = selectors.dashboard(request.user, area, period=period)
    return exports.response(board, row_kind, format)


# --- decisions on the queues ----------------------------------------------------------------


def _back_url(request, proposal):
    """Where to go once decided: the dashboard the form was on, else the kota's."""
    back = safe_back(request, "").partition("#")[0]
    try:
        match = resolve(back.partition("?")[0]) if back else None
    except Resolver404:
        match = None
    if match is not None and match.namespace == "dashboard":
        return back
    return reverse("dashboard:city", args=[proposal.kota_code])


@require_POST
@login_required
def decide(request, public_id):
    """Escalate, accept, return or decline a proposal from a queue, and come back to it."""
    proposal = program_selectors.get_visible_or_404(request.user, public_id)
    back = _back_url(request, proposal)
    form = NoteForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in DECISIONS:
        return refuse(
            request, _("The form was incomplete. Reload the page and try again."), back_url=back
        )
    return act(
        request,
        DECISIONS[form.cleaned_data["action"]],
        back=back,
        done=lambda moved: (
            _("“%(title)s” is now “%(state)s”.")
            % {"title": moved.title, "state": moved.get_state_display()}
        ),
        then=back + "#queue",
        proposal=proposal,
        note=form.cleaned_data["note"],
        token=form.cleaned_data["token"],
    )


# --- charts ---------------------------------------------------------------------------------


def _charts(board, row_kind):
    """The four charts of a city (row_kind "kecamatan") or province ("kota") dashboard."""
    total = board.total
    if row_kind == "kota":
        formation = charts.progress_chart(
            "formation",
            _("Kecamatan forums formed, per kabupaten/kota"),
            (_("Kabupaten/kota"), _("Formed")),
            [(row.name, row.kecamatan_formed, row.kecamatan_total) for row in board.rows],
            _part,
        )
    else:
        formation = charts.progress_chart(
            "formation",
            _("Kelurahan forums formed, per kecamatan"),
            (_("Kecamatan"), _("Formed")),
            [(row.name, row.kelurahan_formed, row.kelurahan_total) for row in board.rows],
            _part,
        )
    return [
        formation,
        charts.bar_chart(
            "states",
            _("Proposals per state"),
            (_("State"), _("Proposals")),
            [(str(state.label), count) for state, count in total.state_counts()],
        ),
        charts.bar_chart(
            "bodies",
            _("Verified cadres per body"),
            (_("Body"), _("Cadres")),
            [(body.name, count) for body, count in total.body_counts(board.bodies)],
        ),
        charts.column_chart(
            "signups",
            _("Training sign-ups per month"),
            (_("Month"), _("Sign-ups")),
            [
                (_format(month, "M"), _format(month, "F Y"), count)
                for month, count in board.signups
            ],
        ),
    ]


def _part(done, total):
    return _("%(done)s of %(total)s") % {"done": done, "total": total}


def _format(moment, format):
    return date_format(timezone.localtime(moment), format)
