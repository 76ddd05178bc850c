from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from cadres.meetings import documents, selectors, services
from cadres.meetings.forms import AnswerForm, FollowUpFormSet, MeetingForm, MinutesForm
from cadres.models import FollowUp, Meeting
from forkom import statements
from forkom.errors import DomainError
from forkom.http import act, form_errors, form_status, refusals_on, refuse


def _readable(request, public_id) -> Meeting:
    meeting = selectors.get_readable_or_404(request.user, public_id)
    meeting.signed_as = selectors.in_language(meeting.signed_as)  # shown, never saved
    return meeting


# One person's meetings and answers: never kept by a shared cache.
PRIVATE = cache_control(private=True, no_store=True)


@PRIVATE
@login_required
def meeting_list(request):
    """The meetings the person is invited to or may read, coming first, then past ones."""
    meetings = selectors.readable(request.user).select_related("region")
    code = request.GET.get("wilayah", "")
    if code:
        meetings = meetings.filter(region_id=code)
    return render(
        request,
        "meetings/list.html",
        {
            "meetings": list(meetings.order_by("-starts_at")[:100]),
            "regions": selectors.organisable_regions(request.user),
            "code": code,
        },
    )


@PRIVATE
@login_required
def schedule(request):
    regions = selectors.organisable_regions(request.user)
    if not regions:
        raise Http404
    code = request.POST.get("wilayah") or request.GET.get("wilayah") or regions[0].code
    region = next((r for r in regions if r.code == code), None)
    if region is None:
        raise Http404
    candidates = selectors.candidates(region)
    form = MeetingForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            meeting = services.schedule_meeting(
                actor=request.user,
                region=region,
                title=data["title"],
                agenda=data["agenda"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                invitee_ids=data["invitees"],
            )
            messages.success(request, _("The meeting is scheduled; the invitees are told."))
            return redirect(meeting)
    return render(
        request,
        "meetings/schedule.html",
        {"form": form, "region": region, "regions": regions},
        status=form_status(request, form),
    )


@PRIVATE
@login_required
def detail(request, public_id):
    meeting = _readable(request, public_id)
    may_manage = selectors.may_manage(request.user, meeting)
    invitations = (
        selectors.invitations_shown(meeting)
        if may_manage or meeting.state == (Meeting.State.PUBLISHED)
        else []
    )
    if invitations:  # the viewer's own is among them, if they are invited
        invitation = next((i for i in invitations if i.user_id == request.user.pk), None)
    else:
        invitation = selectors.invitation_of(request.user, meeting)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "invitation": invitation,
            "may_manage": may_manage,
            "invitations": invitations,
            "answers": {
                answer: sum(1 for i in invitations if i.answer == answer)
                for answer in ("hadir", "tidak_hadir", "")
            },
            "follow_ups": statements.related(meeting.follow_ups, "responsible"),
        },
    )


@require_POST
@login_required
def answer(request, public_id):
    meeting = _readable(request, public_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), back_url=meeting.get_absolute_url())
    return act(
        request,
        services.answer_invitation,
        back=meeting.get_absolute_url(),
        done=_("Your answer is recorded."),
        meeting=meeting,
        answer=form.cleaned_data["answer"],
    )


@PRIVATE
@login_required
def minutes(request, public_id):
    """Attendance, minutes, decisions and follow-ups in one form."""
    meeting = _readable(request, public_id)
    if not selectors.may_manage(request.user, meeting):
        raise Http404
    invitations = selectors.invitations_shown(meeting)
    initial_attended = [
        i.pk for i in invitations if i.attended or (i.attended is None and i.answer == "hadir")
    ]
    form = MinutesForm(
        request.POST or None,
        invitations=invitations,
        initial={
            "attended": initial_attended,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        },
    )
    follow_ups = FollowUpFormSet(
        request.POST or None,
        prefix="followup",
        form_kwargs={"invitations": invitations},
        initial=[
            {"text": f.text, "responsible": f.responsible_id, "due_on": f.due_on}
            for f in meeting.follow_ups.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and follow_ups.is_valid():
        lines = [
            services.FollowUpLine(row["text"], row["responsible"], row["due_on"])
            for row in follow_ups.cleaned_data
            if row and row.get("text")
        ]
        with refusals_on(form):
            services.record_minutes(
                actor=request.user,
                meeting=meeting,
                attended_ids=form.cleaned_data["attended"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                follow_ups=lines,
            )
            messages.success(
                request, _("The minutes are saved. Publish them to send them to the invitees.")
            )
            return redirect(meeting)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/minutes.html",
        {"form": form, "follow_ups": follow_ups, "meeting": meeting},
        status=status,
    )


@require_POST
@login_required
def publish_minutes(request, public_id):
    meeting = _readable(request, public_id)
    return act(
        request,
        services.publish_minutes,
        back=meeting.get_absolute_url(),
        done=_("The minutes are published to the invitees."),
        meeting=meeting,
    )


@require_POST
@login_required
def complete_follow_up(request, public_id, follow_up_id):
    meeting = _readable(request, public_id)
    follow_up = get_object_or_404(FollowUp, pk=follow_up_id, meeting=meeting)
    return act(
        request,
        services.complete_follow_up,
        back=meeting.get_absolute_url(),
        done=_("The follow-up is marked done."),
        follow_up=follow_up,
    )


def _file_name(meeting):
    return slugify(f"rapat-{meeting.starts_at:%Y-%m-%d}-{meeting.title}")[:80] or "rapat"


@PRIVATE
@login_required
def ics(request, public_id):
    meeting = _readable(request, public_id)
    response = HttpResponse(
        documents.meeting_ics(meeting, request.build_absolute_uri(meeting.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting)}.ics"'
    return response


@PRIVATE
@login_required
def sheet(request, public_id):
    """The printable A4 page: agenda, daftar hadir with a signature column, minutes."""
    meeting = _readable(request, public_id)
    if not (
        selectors.may_manage(request.user, meeting) or meeting.state == (Meeting.State.PUBLISHED)
    ):
        raise Http404
    return render(
        request,
        "meetings/sheet.html",
        {
            "meeting": meeting,
            "invitations": selectors.invitations_shown(meeting),
            "follow_ups": statements.related(meeting.follow_ups, "responsible"),
        },
    )


@PRIVATE
@login_required
def pdf(request, public_id):
    meeting = _readable(request, public_id)
    if not (
        selectors.may_manage(request.user, meeting) or meeting.state == (Meeting.State.PUBLISHED)
    ):
        raise Http404
    try:
        content = documents.meeting_pdf(meeting)
    except DomainError as error:
        return refuse(request, error.message, back_url=meeting.get_absolute_url())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting)}.pdf"'
    return response
