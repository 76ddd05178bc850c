"""The public forum directory, and the manage page of a forum for those who may manage it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.announcements.selectors import public_about
from cadres.forums import selectors as selectors
from cadres.forums import services as services
from cadres.forums.forms import AddMemberForm, AppointForm, EndTermForm, RemoveMemberForm, SkForm
from cadres.meetings import selectors as meeting_selectors
from cadres.models import Forum
from forkom.errors import DomainError
from forkom.http import act, form_errors, posted_token, refuse

MEMBERS_PER_PAGE = 50


def directory(request):
    kota, rows = selectors.directory(settings.FORKOM_HOME_REGION)
    return render(
        request,
        "cadres/forums/directory.html",
        {"kota": kota, "rows": rows, "formed_count": sum(row.formed for row in rows)},
    )


def detail(request, code):
    row, kelurahan_rows = selectors.forum_page(code)
    return render(
        request,
        "cadres/forums/detail.html",
        {
            "row": row,
            "kelurahan_rows": kelurahan_rows,
            "formed_count": sum(child.formed for child in kelurahan_rows),
            "may_manage": selectors.may_manage(request.user, row.region),
            # Public: when and what, never who attended or what was said.
            "last_meeting": meeting_selectors.last_meeting(code),
            "announcements": public_about(code, limit=3),
        },
    )


@login_required
def manage(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    row = selectors.ForumRow(
        region=region,
        sk_number=region.sk_number or "",
        sk_date=region.sk_date,
        has_ketua=region.has_ketua,
        member_count=region.member_count,
        officers=selectors.officers_at([region.code]).get(region.code, []),
    )
    may_shape = selectors.may_shape(request.user, region)
    may_manage_members = selectors.may_manage_members(request.user, region)
    members = Paginator(selectors.members_of(region), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cadres/forums/manage.html",
        {
            "row": row,
            "may_shape": may_shape,
            "may_manage_members": may_manage_members,
            "sk_form": SkForm(initial={"number": row.sk_number, "date": row.sk_date}),
            "appoint_form": AppointForm(region=region) if may_shape else None,
            "member_form": AddMemberForm(region=region) if may_manage_members else None,
            "members": members,
            "events": selectors.timeline(region),
        },
    )


@require_POST
@login_required
def record_sk(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    token = posted_token(request)
    if done := _done_before(request, region, token):
        return done
    form = SkForm(request.POST)
    if not form.is_valid():
        return _refuse_form(request, region, form)
    return act(
        request,
        services.record_sk,
        back=_manage_url(region),
        done=_("The SK is recorded."),
        forum=Forum(region=region),
        number=form.cleaned_data["number"],
        date=form.cleaned_data["date"],
        token=token,
    )


@require_POST
@login_required
def appoint(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    token = posted_token(request)
    if done := _done_before(request, region, token):
        return done
    form = AppointForm(request.POST, region=region)
    if not form.is_valid():
        return _refuse_form(request, region, form)
    profile = form.cleaned_data["cadre"]
    return act(
        request,
        services.appoint_officer,
        back=_manage_url(region),
        done=_("%(name)s is appointed.") % {"name": profile.full_name},
        forum=Forum(region=region),
        user=profile.user,
        position=form.cleaned_data["position"],
        field=form.cleaned_data["field"],
        starts_on=form.cleaned_data["starts_on"],
        token=token,
    )


@require_POST
@login_required
def end_term(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    token = posted_token(request)
    if done := _done_before(request, region, token):
        return done
    form = EndTermForm(request.POST, region=region)
    if form.has_error("assignment", "invalid_choice"):  # a term, but not a current one here
        return refuse(
            request,
            _("This term has already ended."),
            status=409,
            back_url=_manage_url(region),
        )
    if not form.is_valid():
        return refuse(
            request, _("Choose a current term to end."), status=400, back_url=_manage_url(region)
        )
    return act(
        request,
        services.end_officer_term,
        back=_manage_url(region),
        done=_("The term is ended."),
        assignment=form.cleaned_data["assignment"],
        token=token,
    )


@require_POST
@login_required
def add_member(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    token = posted_token(request)
    if done := _done_before(request, region, token):
        return done
    form = AddMemberForm(request.POST, region=region)
    if not form.is_valid():
        return _refuse_form(request, region, form)
    profile = form.cleaned_data["cadre"]
    return act(
        request,
        services.add_member,
        back=_manage_url(region),
        done=_("%(name)s is now a member.") % {"name": profile.full_name},
        forum=Forum(region=region),
        profile=profile,
        token=token,
    )


@require_POST
@login_required
def remove_member(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    token = posted_token(request)
    if done := _done_before(request, region, token):
        return done
    form = RemoveMemberForm(request.POST, region=region)
    if not form.is_valid():
        return refuse(
            request,
            _("This cadre is not a member of the forum."),
            status=409,
            back_url=_manage_url(region),
        )
    profile = form.cleaned_data["cadre"]
    return act(
        request,
        services.remove_member,
        back=_manage_url(region),
        done=_("%(name)s is no longer a member.") % {"name": profile.full_name},
        forum=Forum(region=region),
        profile=profile,
        token=token,
    )


def _done_before(request, region, token):
    """A double tap: the same form (its one-time key) already acted; answer as then."""
    try:
        event = services.event_of_form(request.user, token)
    except DomainError as error:
        return refuse(request, error.message, status=409, back_url=_manage_url(region))
    if event is None:
        return None
    messages.success(request, services.done_message(event))
    return redirect(_manage_url(region))


def _refuse_form(request, region, form):
    return refuse(
        request, form_errors(form, labelled=True), status=400, back_url=_manage_url(region)
    )


def _manage_url(region):
    return reverse("forums:manage", kwargs={"code": region.code})
