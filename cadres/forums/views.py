"""The public forum directory, and the manage page of a forum for those who may manage it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.announcements.selectors import public_about
from cadres.forms import CadreNameFilter
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
    return _manage_page(request, region, request.GET)


def _manage_page(request, region, query, *, appoint_form=None, status=None):
    """The manage page. `query` holds the search and the cadre chosen to appoint (the GET's,
    or after a refused appointment the posted search and the form as filled in, kept with
    its errors and answered with `status`)."""
    row = selectors.ForumRow(
        region=region,
        sk_number=region.sk_number or "",
        sk_date=region.sk_date,
        has_ketua=region.has_ketua,
        member_count=region.member_count,
        officers=selectors.officers_of(region.code),
    )
    may_shape = selectors.may_shape(request.user, region)
    may_manage_members = selectors.may_manage_members(request.user, region)
    paginator = Paginator(selectors.members_of(region), MEMBERS_PER_PAGE)
    # Counted with the forum's row (its member_count, the same current members): not again.
    paginator.count = region.member_count
    members = paginator.get_page(request.GET.get("page"))
    # A search of the area's cadres by name, not a <select> of all of them (thousands in a
    # kecamatan): each cadre found with a button that adds them and a link that chooses them
    # for the appoint form (position and start of term), shown for that one cadre.
    search = CadreNameFilter(query, queryset=selectors.candidates(region))
    searched = "name" in query and (may_shape or may_manage_members)
    found, more = [], False
    if searched and not search.errors:
        found, more = selectors.first_found(search.qs)
    choosing = may_shape and "appoint" in query
    chosen = selectors.candidate(region, query["appoint"]) if choosing else None
    if chosen is not None and appoint_form is None:
        appoint_form = AppointForm(region=region, initial={"cadre": chosen.public_id})
    if status is None:
        status = 400 if (searched and search.errors) or (choosing and chosen is None) else 200
    return render(
        request,
        "cadres/forums/manage.html",
        {
            "row": row,
            "may_shape": may_shape,
            "may_manage_members": may_manage_members,
            "sk_form": SkForm(initial={"number": row.sk_number, "date": row.sk_date}),
            "search": search,
            "searched": searched and not search.errors,
            "found": found,
            "more": more,
            "search_limit": selectors.SEARCH_LIMIT,
            "chosen": chosen,
            "not_a_candidate": choosing and chosen is None,
            "appoint_form": appoint_form if chosen is not None else None,
            "members": members,
            "events": selectors.timeline(region),
            # The page's links carry its search: on a refused appointment the request is the
            # POST's, whose address answers no GET and whose query string is empty (the
            # page's links led to "Use the button on the page", found by a walk through the
            # demo site).
            "manage_url": reverse("forums:manage", kwargs={"code": region.code}),
            "page_query": query if isinstance(query, QueryDict) else QueryDict(urlencode(query)),
            "appoint_refused": bool(appoint_form is not None and appoint_form.errors),
        },
        status=status,
    )


@require_POST
@login_required
def record_sk(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    back = _manage_url(region)
    token = posted_token(request)
    if done := _done_before(request, back, token):
        return done
    form = SkForm(request.POST)
    if not form.is_valid():
        return _refuse_form(request, back, form)
    return act(
        request,
        services.record_sk,
        back=back,
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
    back = _manage_url(region, search=_posted_search(request))
    token = posted_token(request)
    if done := _done_before(request, back, token):
        return done
    form = AppointForm(request.POST, region=region)
    # A refusal is shown on the manage page itself, the form as filled in, beside its fields.
    query = {"appoint": request.POST.get(form.add_prefix("cadre"), "")}
    if (search := _posted_search(request)) is not None:
        query["name"] = search
    # Without the form to show (no cadre of this area; not theirs to appoint), the reason alone.
    kept = not form.has_error("cadre") and selectors.may_shape(request.user, region)
    if not form.is_valid():
        if not kept:
            return _refuse_form(request, back, form)
        return _manage_page(request, region, query, appoint_form=form, status=400)
    profile = form.cleaned_data["cadre"]

    def on_the_kept_form(error):
        form.add_error(None, error.message)
        return _manage_page(request, region, query, appoint_form=form, status=error.status)

    return act(
        request,
        services.appoint_officer,
        back=back,
        done=_("%(name)s is appointed.") % {"name": profile.full_name},
        refused=on_the_kept_form if kept else None,
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
    back = _manage_url(region)
    token = posted_token(request)
    if done := _done_before(request, back, token):
        return done
    form = EndTermForm(request.POST, region=region)
    if form.has_error("assignment", "invalid_choice"):  # a term, but not a current one here
        return refuse(
            request,
            _("This term has already ended."),
            status=409,
            back_url=back,
        )
    if not form.is_valid():
        return refuse(request, _("Choose a current term to end."), status=400, back_url=back)
    return act(
        request,
        services.end_officer_term,
        back=back,
        done=_("The term is ended."),
        assignment=form.cleaned_data["assignment"],
        token=token,
    )


@require_POST
@login_required
def add_member(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    back = _manage_url(region, search=_posted_search(request))
    token = posted_token(request)
    if done := _done_before(request, back, token):
        return done
    form = AddMemberForm(request.POST, region=region)
    if not form.is_valid():
        return _refuse_form(request, back, form)
    profile = form.cleaned_data["cadre"]
    return act(
        request,
        services.add_member,
        back=back,
        done=_("%(name)s is now a member.") % {"name": profile.full_name},
        forum=Forum(region=region),
        profile=profile,
        token=token,
    )


@require_POST
@login_required
def remove_member(request, code):
    region = selectors.get_manageable_region_or_404(request.user, code)
    back = _manage_url(region)
    token = posted_token(request)
    if done := _done_before(request, back, token):
        return done
    form = RemoveMemberForm(request.POST, region=region)
    if not form.is_valid():
        return refuse(
            request,
            _("This cadre is not a member of the forum."),
            status=409,
            back_url=back,
        )
    profile = form.cleaned_data["cadre"]
    return act(
        request,
        services.remove_member,
        back=back,
        done=_("%(name)s is no longer a member.") % {"name": profile.full_name},
        forum=Forum(region=region),
        profile=profile,
        token=token,
    )


def _done_before(request, back, token):
    """A double tap: the same form (its one-time key) already acted; answer as then."""
    try:
        event = services.event_of_form(request.user, token)
    except DomainError as error:
        return refuse(request, error.message, status=409, back_url=back)
    if event is None:
        return None
    messages.success(request, services.done_message(event))
    return redirect(back)


def _refuse_form(request, back, form):
    return refuse(request, form_errors(form, labelled=True), status=400, back_url=back)


def _posted_search(request):
    """The search the appoint or add button was pressed under (its form carries it), so
    that the page comes back with the same rows; None for none, or one that is not valid."""
    if "name" not in request.POST:
        return None
    search = CadreNameFilter({"name": request.POST["name"]})
    return search.form.cleaned_data["name"] if search.is_valid() else None


def _manage_url(region, *, search=None):
    url = reverse("forums:manage", kwargs={"code": region.code})
    return url if search is None else f"{url}?{urlencode({'name': search})}#find"
