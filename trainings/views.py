from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cadres import selectors as cadre_selectors
from forkom import scope, statements
from forkom.http import act, posted_token, refuse
from forkom.pagination import filters_query, first_page, first_page_asked
from trainings import certificates, checkin, exports, selectors, services
from trainings.forms import CapacityForm, CertificateCodeForm, TrainingFilter
from trainings.models import CERTIFICATE_CODE, Registration, Training

PAGE_SIZE = 20
NOTE_LENGTH = 500
Status = Registration.Status
State = Training.State


def catalogue(request):
    profile = cadre_selectors.own_profile(request.user)
    needs = selectors.training_need_ids(profile)
    # One moment for the ordering, the filters and what each card says.
    now = timezone.now()
    trainings = TrainingFilter(
        request.GET,
        queryset=selectors.catalogue(needs, now),
        now=now,
        kota=selectors.home_kota(profile),
    )
    if first_page_asked(request) and trainings.unfiltered():  # as most visitors open it
        rows, total = selectors.catalogue_first_page(needs, trainings.kota, now, PAGE_SIZE)
        page = first_page(rows, total, PAGE_SIZE)
    else:
        page = Paginator(trainings.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    mine = selectors.registrations_by_training(profile, rows)
    pairs = [(training, mine.get(training.pk)) for training in rows]
    return render(
        request,
        "trainings/list.html",
        {
            "filter": trainings,
            "page": page,
            "recommended": [pair for pair in pairs if pair[0].recommended],
            "others": [pair for pair in pairs if not pair[0].recommended],
            "query": filters_query(request),
            "profile": profile,
            "needs_known": bool(needs),
            "now": now,
        },
        status=400 if trainings.form.errors else 200,
    )


def detail(request, pk):
    training = _visible_or_404(request.user, pk)
    profile = cadre_selectors.own_profile(request.user)
    registration = selectors.active_registration(training, profile)
    last = registration or selectors.last_registration(training, profile)
    page_url = request.build_absolute_uri(training.get_absolute_url())
    return render(
        request,
        "trainings/detail.html",
        {
            "training": training,
            "topics": statements.related(training.topics),
            "eligible_bodies": statements.related(training.eligible_bodies),
            "profile": profile,
            "registration": registration,
            "cancelled": last if last and last.status == Status.CANCELLED else None,
            "position": selectors.waitlist_position(registration),
            "checkin_code": checkin.shown(checkin.code_for(registration))
            if registration and _shows_checkin_code(registration, training)
            else None,
            "problem": None if registration else services.signup_problem(training, profile),
            "is_organiser": selectors.is_organiser(request.user, training),
            "share_url": "https://wa.me/?text=" + quote(f"{training.title} {page_url}", safe=""),
        },
    )


@require_POST
@login_required
def register(request, pk):
    training = _visible_or_404(request.user, pk)
    profile = cadre_selectors.own_profile(request.user)
    back = training.get_absolute_url()
    if profile is None:
        return refuse(
            request,
            _("Only registered cadres can sign up: fill in your cadre profile first."),
            status=409,
            back_url=back,
        )
    return act(
        request,
        services.sign_up,
        back=back,
        done=_signed_up_message,
        training=training,
        profile=profile,
        token=posted_token(request),
    )


def _signed_up_message(registration):
    if registration.status == Status.REGISTERED:
        return _("You are signed up. A confirmation is on its way by email.")
    return _("The training is full: you are number %(position)d on the waitlist.") % {
        "position": selectors.waitlist_position(registration)
    }


@require_POST
@login_required
def cancel(request, pk):
    training = _visible_or_404(request.user, pk)
    registration = selectors.active_registration(
        training, cadre_selectors.own_profile(request.user)
    )
    back = training.get_absolute_url()
    token = posted_token(request)
    if registration is None:
        # A second tap on the same form: the first cancelled; say so again.
        if services.done_by_form(request.user, token):
            messages.success(request, _("Your sign-up is cancelled."))
            return redirect(back)
        return refuse(request, _("You have not signed up for this training."), back_url=back)
    return act(
        request,
        services.cancel,
        back=back,
        done=_("Your sign-up is cancelled."),
        registration=registration,
        token=token,
    )


@login_required
def mine(request):
    """Pelatihan saya: the signed-in cadre's sign-ups, grouped by where they stand."""
    profile = cadre_selectors.own_profile(request.user)
    return render(
        request,
        "trainings/mine.html",
        {"profile": profile, "mine": selectors.my_trainings(profile) if profile else None},
    )


def ics(request, pk):
    training = _visible_or_404(request.user, pk)
    url = request.build_absolute_uri(training.get_absolute_url())
    response = HttpResponse(
        exports.training_ics(training, url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(training)}.ics"'
    return response


@login_required
def certificate(request, pk):
    registration = (
        Registration.objects.filter(
            selectors.ATTENDED_AND_FINISHED, training_id=pk, profile__user=request.user
        )
        .select_related("training", "profile")
        .first()
    )
    if registration is None:
        raise Http404
    url = request.build_absolute_uri(
        reverse("certificates:verify", args=[registration.certificate_code])
    )
    response = HttpResponse(
        certificates.certificate_pdf(registration, url), content_type="application/pdf"
    )
    name = f"sertifikat-{_file_name(registration.training)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def lookup_certificate(request):
    """Public: a form to type the code printed on a certificate; a well-formed code leads to
    its verification page, which says whether such a certificate exists."""
    form = CertificateCodeForm(request.GET if "kode" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["kode"])
    return render(
        request,
        "trainings/certificate_lookup.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def verify_certificate(request, code):
    """Public: confirms the name, the training and its date, and nothing else."""
    registration = selectors.certificate(code) if CERTIFICATE_CODE.fullmatch(code) else None
    if registration is None:
        return render(
            request,
            "trainings/certificate_unknown.html",
            {"code": code, "form": CertificateCodeForm()},
            status=404,
        )
    return render(
        request,
        "trainings/certificate.html",
        {
            "name": registration.profile.full_name,
            "training": registration.training,
            "dates": certificates.training_dates(registration.training),
        },
    )


# Organisers: Dinas staff of the area, officers of the venue's kecamatan forum.


@login_required
def manage(request):
    if not scope.region_codes(request.user, scope.OFFICERS_AND_STAFF) and not (
        request.user.is_superuser
    ):
        raise Http404
    # Only the columns the rows show (a training's description runs to pages).
    trainings = (
        selectors.organised_by(request.user)
        .only(
            "title",
            "venue",
            "venue_kecamatan__name",
            "starts_at",
            "state",
            "seats_taken",
            "capacity",
        )
        .order_by("-starts_at", "pk")
    )
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trainings/manage.html", {"page": page})


@login_required
def participants(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    registrations = list(selectors.participants(training))
    seated = selectors.by_name(row for row in registrations if row.status == Status.REGISTERED)
    waiting = [row for row in registrations if row.status == Status.WAITLISTED]
    may_change_capacity = selectors.may_change_capacity(request.user, training)
    return render(
        request,
        "trainings/participants.html",
        {
            "training": training,
            "seated": seated,
            "waiting": waiting,
            "present": sum(row.attended for row in seated),
            "takes_attendance": training.takes_attendance(),
            "attendance_closed": services.attendance_closed(training),
            "capacity_form": CapacityForm(initial={"capacity": training.capacity})
            if may_change_capacity and training.state in {State.DRAFT, State.PUBLISHED}
            else None,
            # The training's life is Dinas staff's: the same services as the admin's actions.
            "manages_state": may_change_capacity,
        },
    )


@require_POST
@login_required
def attendance(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    back = reverse("trainings:participants", args=[training.pk])
    try:
        chosen = {int(value) for value in request.POST.getlist("attended")}
        # Who the list showed present: only the changes made on it apply (check-in meanwhile).
        shown = {int(value) for value in request.POST.getlist("shown_present")}
    except ValueError:
        return refuse(request, _("The attendance form was not understood."), back_url=back)
    return act(
        request,
        services.mark_attendance,
        back=back,
        done=lambda present: _("Attendance saved: %(present)d present.") % {"present": present},
        training=training,
        attended=chosen,
        shown_present=shown if "changes_only" in request.POST else None,
    )


@require_POST
@login_required
def capacity(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    back = reverse("trainings:participants", args=[training.pk])
    form = CapacityForm(request.POST)
    if not form.is_valid():
        return refuse(request, _("Give the capacity as a whole number of seats."), back_url=back)
    return act(
        request,
        services.change_capacity,
        back=back,
        done=_("The capacity is now %(capacity)d.") % form.cleaned_data,
        training=training,
        capacity=form.cleaned_data["capacity"],
    )


@require_POST
@login_required
def publish(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    return act(
        request,
        services.publish,
        back=reverse("trainings:participants", args=[training.pk]),
        done=_("The training is published."),
        training=training,
        token=posted_token(request),
    )


@require_POST
@login_required
def cancel_training(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    back = reverse("trainings:participants", args=[training.pk])
    note = request.POST.get("note", "").strip()
    if not note:
        return refuse(
            request,
            _("Say why the training is cancelled: the participants read it."),
            back_url=back,
        )
    if len(note) > NOTE_LENGTH:
        return refuse(
            request,
            _("Keep the reason under %(length)d characters.") % {"length": NOTE_LENGTH},
            back_url=back,
        )
    return act(
        request,
        services.cancel_training,
        back=back,
        done=_("The training is cancelled; everyone signed up is told by email."),
        training=training,
        note=note,
        token=posted_token(request),
    )


@require_POST
@login_required
def finish(request, pk):
    training = selectors.get_organised_or_404(request.user, pk)
    return act(
        request,
        services.finish,
        back=reverse("trainings:participants", args=[training.pk]),
        done=_("The training is finished; those present can download their certificate."),
        training=training,
        token=posted_token(request),
    )


@login_required
def checkin_qr(request, pk):
    """The participant's own check-in code as a QR code (PNG), while they hold a seat."""
    training = _visible_or_404(request.user, pk)
    registration = selectors.active_registration(
        training, cadre_selectors.own_profile(request.user)
    )
    if registration is None or not _shows_checkin_code(registration, training):
        raise Http404
    response = HttpResponse(
        checkin.qr_png(checkin.code_for(registration)), content_type="image/png"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _shows_checkin_code(registration, training):
    """A seat in a training still to be held, not yet marked present."""
    return (
        registration.status == Status.REGISTERED
        and training.state == State.PUBLISHED
        and not registration.attended
    )


@require_http_methods(["GET", "POST"])
@login_required
def check_in(request, pk):
    """The organisers' check-in at the venue: a participant's code, scanned or typed."""
    training = selectors.get_organised_or_404(request.user, pk)
    back = reverse("trainings:check_in", args=[training.pk])
    if request.method == "POST":
        return act(
            request,
            services.check_in,
            back=back,
            done=lambda registration: (
                _("%(name)s is marked present.") % {"name": registration.profile.full_name}
            ),
            training=training,
            code=request.POST.get("code", ""),
            token=posted_token(request),
        )
    return render(
        request,
        "trainings/check_in.html",
        {
            "training": training,
            "present": selectors.present_count(training),
            "checks_in": training.checks_in(),
        },
    )


@login_required
def attendance_sheet(request, pk):
    """The daftar hadir: an A4 page to print and have signed at the venue."""
    training = selectors.get_organised_or_404(request.user, pk)
    return render(
        request,
        "trainings/attendance_sheet.html",
        {
            "training": training,
            "dates": certificates.training_dates(training),
            "rows": selectors.attendance_sheet(training),
        },
    )


@login_required
def export_csv(request, pk):
    return _export(request, pk, "csv")


@login_required
def export_xlsx(request, pk):
    return _export(request, pk, "xlsx")


def _export(request, pk, format):
    training = selectors.get_organised_or_404(request.user, pk)
    return exports.participants_response(
        training,
        selectors.as_listed(selectors.participants(training, with_kecamatan=True)),
        format,
        f"peserta-{_file_name(training)}",
    )


def _visible_or_404(user, pk):
    """Published, cancelled and finished trainings are public; a draft only to its organisers."""
    training = selectors.public_trainings().filter(pk=pk).first()
    if training is None:
        training = selectors.get_organised_or_404(user, pk)
    return training


def _file_name(training):
    return slugify(training.title)[:60] or f"pelatihan-{training.pk}"
