from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres import selectors, services
from cadres.consent import CONSENT_VERSION
from cadres.forms import CadreFilter, ConsentForm, ProfileForm, RejectForm
from cadres.models import CadreProfile, PersonalDataView
from forkom import scope
from forkom.errors import DomainError
from forkom.http import form_status, refuse

PAGE_SIZE = 25


def _own_profile(user):
    return (
        CadreProfile.objects.select_related("kelurahan", "kelurahan__parent")
        .filter(user=user)
        .first()
    )


@login_required
def consent(request):
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_consent(actor=request.user, user=request.user)
        return redirect("cadres:mine")
    return render(
        request,
        "cadres/consent.html",
        {
            "form": form,
            "version": CONSENT_VERSION,
            "asked_again": request.user.consents.exists(),
        },
        status=form_status(request, form),
    )


@login_required
def register(request):
    if not selectors.has_current_consent(request.user):
        return redirect("cadres:consent")
    if CadreProfile.objects.filter(user=request.user).exists():
        return redirect("cadres:mine")
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_profile(
                actor=request.user, user=request.user, **form.profile_details()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Thank you. Your forum officer will check and verify your profile.")
            )
            return redirect("cadres:mine")
    return render(
        request, "cadres/register.html", {"form": form}, status=form_status(request, form)
    )


@login_required
def mine(request):
    """The cadre's own profile and its status; a new consent text is agreed to first."""
    if not selectors.has_current_consent(request.user):
        return redirect("cadres:consent")
    profile = _own_profile(request.user)
    if profile is None:
        return redirect("cadres:register")
    return render(
        request,
        "cadres/mine.html",
        {"profile": profile, "memberships": profile.memberships.select_related("body")},
    )


@login_required
def cadre_list(request):
    if not scope.region_codes(request.user, selectors.VIEWER_ROLES) and not (
        request.user.is_superuser
    ):
        raise Http404
    cadres = CadreFilter(
        request.GET, queryset=selectors.cadres_for(request.user), user=request.user
    )
    page = Paginator(cadres.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    with_ketua = selectors.kelurahan_with_ketua({row.kelurahan_id for row in rows})
    decidable = {
        row.pk
        for row in rows
        if selectors.may_decide(request.user, row.kelurahan_id, row.kelurahan_id in with_ketua)
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/list.html",
        {
            "filter": cadres,
            "page": page,
            "rows": [(row, row.pk in decidable) for row in rows],
            "query": query.urlencode(),
            "reject_form": RejectForm(),
        },
    )


@login_required
def detail(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    full_nik = selectors.sees_full_nik(request.user, profile)
    if full_nik and profile.user_id != request.user.pk:
        PersonalDataView.objects.create(viewer=request.user, profile=profile)
    return render(
        request,
        "cadres/detail.html",
        {
            "profile": profile,
            "full_nik": full_nik,
            "may_decide": selectors.may_decide(request.user, profile.kelurahan_id),
            "memberships": profile.memberships.select_related("body"),
            "events": profile.events.select_related("actor"),
            "reject_form": RejectForm(),
        },
    )


@require_POST
@login_required
def verify(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    try:
        services.verify_cadre(
            actor=request.user, profile=profile, note=request.POST.get("note", "")
        )
    except DomainError as error:
        return refuse(request, error.message, status=409, back_url=_back_url(request))
    messages.success(request, _("%(name)s is verified.") % {"name": profile.full_name})
    return redirect(_back(request))


@require_POST
@login_required
def reject(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return refuse(
            request,
            _("Give the reason for the rejection: the cadre will read it."),
            back_url=_back_url(request),
        )
    try:
        services.reject_cadre(
            actor=request.user, profile=profile, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return refuse(request, error.message, status=409, back_url=_back_url(request))
    messages.success(request, _("%(name)s is rejected.") % {"name": profile.full_name})
    return redirect(_back(request))


def _back_url(request):
    target = _back(request)
    return target if target.startswith("/") else reverse(target)


def _back(request):
    """Back to the list (with its filters) or the detail page the action was taken on."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "cadres:list"
