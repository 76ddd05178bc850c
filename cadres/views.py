from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cadres import exports, selectors, services
from cadres.consent import CONSENT_VERSION
from cadres.forms import (
    AssistedProfileForm,
    CadreFilter,
    ClaimEmailForm,
    ConsentForm,
    DeletionRequestForm,
    ProfileEditForm,
    ProfileForm,
    RejectForm,
    VerifyForm,
    WithdrawConsentForm,
)
from cadres.forums.selectors import display_name
from cadres.models import CadreProfile, ExportJob
from forkom import personal_data_readable, scope, spreadsheets
from forkom.http import (
    act,
    form_errors,
    form_status,
    posted_token,
    refusals_on,
    refuse,
    safe_back,
)
from forkom.pagination import KeysFirstPaginator, filters_query

PAGE_SIZE = 25

# Kept out of error reports (Django masks them in the POST data it would show).
PERSONAL_FIELDS = ("full_name", "nik", "birth_place", "birth_date", "phone", "address")


@login_required
def consent(request):
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A refusal (the account closed meanwhile) answers its page, never a server error.
        return act(
            request,
            services.record_consent,
            back=reverse("cadres:consent"),
            then=reverse("cadres:mine"),
            user=request.user,
        )
    return render(
        request,
        "cadres/consent.html",
        {
            "form": form,
            "version": CONSENT_VERSION,
            # An earlier text agreed to and not withdrawn: the text changed since.
            "asked_again": request.user.consents.filter(withdrawn_at__isnull=True).exists(),
        },
        status=form_status(request, form),
    )


@sensitive_post_parameters(*PERSONAL_FIELDS)
@login_required
def register(request):
    if not selectors.has_current_consent(request.user):
        return redirect("cadres:consent")
    if CadreProfile.objects.filter(user=request.user).exists():
        return redirect("cadres:mine")
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.register_profile(
                actor=request.user, user=request.user, **form.profile_details()
            )
            messages.success(
                request, _("Thank you. Your forum officer will check and verify your profile.")
            )
            return redirect("cadres:mine")
    return render(
        request, "cadres/register.html", {"form": form}, status=form_status(request, form)
    )


@login_required
def mine(request):
    """The cadre's own profile and its status; a new consent text is agreed to first.

    Someone who withdrew their consent still sees what is stored about them.
    """
    profile, consents = selectors.own_profile_and_consent(request.user)
    if not consents and not selectors.withdrew_consent(request.user):
        return redirect("cadres:consent")
    if profile is None:
        return redirect("cadres:register")
    return render(
        request,
        "cadres/mine.html",
        {"profile": profile, **selectors.profile_lists(profile)._asdict()},
    )


def _require_cadre_viewer(user):
    if not scope.region_codes(user, scope.OFFICERS_AND_ABOVE) and not user.is_superuser:
        raise Http404


@login_required
def cadre_list(request):
    _require_cadre_viewer(request.user)
    cadres = CadreFilter(
        request.GET, queryset=selectors.cadres_for(request.user), user=request.user
    )
    # A filter that is not a choice shows its error, not the rows it would have narrowed.
    queryset = cadres.queryset.none() if cadres.errors else cadres.qs
    if cadres.errors or any(cadres.form.cleaned_data.values()):
        paginator = KeysFirstPaginator(queryset, PAGE_SIZE)
    else:  # the whole area, as most visits ask: counted and sorted per kelurahan
        paginator = KeysFirstPaginator(
            queryset,
            PAGE_SIZE,
            count=selectors.cadre_count(request.user),
            keys=partial(selectors.cadre_keys_by_name, request.user),
        )
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    decidable_in = selectors.decidable_kelurahan(request.user, {row.kelurahan_id for row in rows})
    decidable = {row.pk for row in rows if row.kelurahan_id in decidable_in}
    return render(
        request,
        "cadres/list.html",
        {
            "filter": cadres,
            "page": page,
            "rows": [(row, row.pk in decidable) for row in rows],
            "query": filters_query(request),
            "reject_form": RejectForm(),
            "may_register_assisted": selectors.may_register_assisted(request.user),
        },
        status=400 if cadres.errors else 200,
    )


@login_required
def export(request, format):
    """The cadre list as CSV or XLSX: the same scope and filters as the page."""
    if format not in exports.FORMATS:
        raise Http404
    _require_cadre_viewer(request.user)
    cadres = CadreFilter(
        request.GET, queryset=selectors.cadres_for(request.user), user=request.user
    )
    if cadres.errors:
        return refuse(
            request, _("Check the filters and try again."), back_url=reverse("cadres:list")
        )
    if exports.in_background(cadres.qs, format):
        exports.request_export(actor=request.user, query=request.GET.urlencode())
        messages.info(
            request,
            _(
                "The list is long: it is being prepared and appears below for download in a "
                "minute or two (reload the page)."
            ),
        )
        return redirect("cadres:prepared_downloads")
    return exports.cadre_list_response(cadres.qs, format, request.user)


@login_required
def prepared_downloads(request):
    """The long cadre lists the person asked for, while they are kept (a day)."""
    _require_cadre_viewer(request.user)
    jobs = ExportJob.objects.filter(requested_by=request.user).order_by("-created_at")
    return render(request, "cadres/prepared_downloads.html", {"jobs": jobs})


@login_required
def prepared_download(request, public_id):
    job = ExportJob.objects.filter(
        requested_by=request.user, public_id=public_id, status=ExportJob.Status.READY
    ).first()
    if job is None or not job.file:
        raise Http404
    try:
        stream = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"kader-forkom-{timezone.localtime(job.created_at):%Y-%m-%d}.xlsx",
        content_type=spreadsheets.XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def detail(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    full_nik = selectors.sees_full_nik(request.user, profile)
    if full_nik:
        services.record_personal_data_view(actor=request.user, profile=profile)
    return render(
        request,
        "cadres/detail.html",
        {
            "profile": profile,
            "full_nik": full_nik,
            "nik_needs_second_factor": selectors.nik_needs_second_factor(request.user, profile),
            "contact_details": selectors.sees_contact_details(request.user, profile),
            "may_decide": selectors.may_decide(request.user, profile.kelurahan_id),
            **selectors.profile_lists(profile)._asdict(),
            "events": selectors.history(profile),
            "registered_by": display_name(profile.registered_by, public=False)
            if profile.registered_by
            else "",
            "reject_form": RejectForm(),
            "claim_form": ClaimEmailForm()
            if selectors.may_add_claim_email(request.user, profile)
            else None,
            "may_issue_code": selectors.may_issue_activation_code(request.user, profile),
        },
    )


@sensitive_post_parameters("email")
@require_POST
@login_required
def claim_email(request, public_id):
    """An officer gives the email of a cadre registered without one, to claim the account."""
    profile = selectors.get_cadre_or_404(request.user, public_id)
    back_url = profile.get_absolute_url()
    form = ClaimEmailForm(request.POST)
    if not form.is_valid():
        return refuse(request, _("Enter a valid email address."), back_url=back_url)
    return act(
        request,
        services.add_email_for_claim,
        back=back_url,
        done=_(
            "The cadre has been sent an email with a link to set a password. They confirm "
            "their email address when they first sign in."
        ),
        profile=profile,
        email=form.cleaned_data["email"],
        http_request=request,
    )


@sensitive_post_parameters(*PERSONAL_FIELDS, "email")
@login_required
def register_assisted(request):
    """A forum officer or Dinas staff member registers a cadre who has no email address."""
    if not selectors.may_register_assisted(request.user):
        raise Http404
    form = AssistedProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            profile = services.register_assisted(
                actor=request.user, token=posted_token(request), **form.profile_details()
            )
            messages.success(
                request,
                _(
                    "%(name)s is registered and waits for verification. Issue an activation "
                    "code on this page so that the cadre can sign in with their mobile number, "
                    "or add their email address when they have one."
                )
                % {"name": profile.full_name},
            )
            return redirect(profile)
    return render(
        request,
        "cadres/register_assisted.html",
        {"form": form, "version": CONSENT_VERSION},
        status=form_status(request, form),
    )


# --- Data saya: what the signed-in person may do with their own data ----------------------


@never_cache
@login_required
def my_data(request):
    """See, download and correct one's data, withdraw consent, ask for deletion.

    Reachable without a current consent: withdrawing it must not lock a person out.
    """
    profile = selectors.own_profile(request.user)
    return render(
        request,
        "cadres/my_data.html",
        {
            "profile": profile,
            "has_consent": selectors.has_current_consent(request.user),
            "may_withdraw": selectors.has_consent_to_withdraw(request.user),
            "may_correct": profile is not None and selectors.can_be_corrected(profile),
            "open_request": selectors.open_deletion_request(request.user),
            "withdraw_form": WithdrawConsentForm(),
            "deletion_form": DeletionRequestForm(),
        },
    )


@never_cache
@login_required
def download(request):
    return exports.personal_data_response(request.user)


@never_cache
@login_required
def my_data_page(request):
    """Everything stored about the person, labelled in the page's language."""
    return render(
        request,
        "cadres/my_data_page.html",
        {
            "lines_html": personal_data_readable.html(personal_data_readable.lines(request.user)),
            "now": timezone.now(),
        },
    )


@never_cache
@login_required
def my_data_pdf(request):
    response = HttpResponse(
        personal_data_readable.pdf(request.user), content_type="application/pdf"
    )
    name = f"data-saya-forkom-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@sensitive_post_parameters(*PERSONAL_FIELDS)
@never_cache
@login_required
def edit(request):
    profile = selectors.own_profile(request.user)
    if profile is None:
        return redirect("cadres:mine")
    if not selectors.can_be_corrected(profile):
        return refuse(
            request,
            _("A profile can be corrected while it waits for verification or is verified."),
            status=409,
            back_url=reverse("cadres:my_data"),
        )
    if not selectors.has_current_consent(request.user):
        return redirect("cadres:consent")
    form = ProfileEditForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            corrected, changed = services.update_profile(
                actor=request.user, profile=profile, **form.profile_details()
            )
            if not changed:
                messages.info(request, _("Nothing was changed."))
            elif corrected.status != profile.status:
                messages.success(
                    request,
                    _(
                        "Your profile is corrected. Because your NIK or kelurahan changed, "
                        "your forum officer verifies your profile again."
                    ),
                )
            else:
                messages.success(request, _("Your profile is corrected."))
            return redirect("cadres:my_data")
    return render(
        request,
        "cadres/edit.html",
        {"form": form, "profile": profile},
        status=form_status(request, form),
    )


@require_POST
@login_required
def withdraw_consent(request):
    back_url = reverse("cadres:my_data")
    if not WithdrawConsentForm(request.POST).is_valid():
        return refuse(
            request,
            _("Tick the box to confirm that you understand what withdrawing means."),
            back_url=back_url,
        )
    return act(request, services.withdraw_consent, back=back_url, done=_withdrawn_message)


def _withdrawn_message(profile):
    if profile is None:
        return _("Your consent is withdrawn.")
    return _(
        "Your consent is withdrawn and your cadre profile is now inactive: you no "
        "longer hold the cadre role and nothing new is collected. What is stored is "
        "kept as the statement says unless you ask for its deletion below."
    )


@require_POST
@login_required
def request_deletion(request):
    back_url = reverse("cadres:my_data")
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        return refuse(request, _("The reason is too long."), back_url=back_url)
    return act(
        request,
        services.request_deletion,
        back=back_url,
        done=_(
            "Your request is sent to the Dinas staff of your area. You will get an email "
            "when it has been handled."
        )
        if request.user.email
        # Signed in with a phone number or NIK and a code: no email to send to.
        else _(
            "Your request is sent to the Dinas staff of your area. If they decline it, you "
            "find their answer in your notifications; if they carry it out, your account is "
            "closed."
        ),
        reason=form.cleaned_data["reason"],
    )


@require_POST
@login_required
def verify(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    back = _back(request)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), back_url=back)
    return act(
        request,
        services.verify_cadre,
        back=back,
        done=_("%(name)s is verified.") % {"name": profile.full_name},
        profile=profile,
        note=form.cleaned_data["note"],
        token=posted_token(request),
    )


@require_POST
@login_required
def reject(request, public_id):
    profile = selectors.get_cadre_or_404(request.user, public_id)
    back = _back(request)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), back_url=back)
    return act(
        request,
        services.reject_cadre,
        back=back,
        done=_("%(name)s is rejected.") % {"name": profile.full_name},
        profile=profile,
        reason=form.cleaned_data["reason"],
        token=posted_token(request),
    )


def _back(request):
    """Back to the list (with its filters) or the detail page the action was taken on."""
    return safe_back(request, reverse("cadres:list"))
