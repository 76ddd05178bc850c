import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import CadreProfile
from cadres.selectors import own_profile
from forkom import statements
from forkom.filters import nothing_chosen
from forkom.http import act, form_errors, form_status, refusals_on, refuse
from forkom.pagination import KeysFirstPaginator, filters_query, first_page, first_page_asked
from programs import exports, selectors, services
from programs.forms import (
    EVERYWHERE,
    STEPS,
    AttachmentForm,
    CommentForm,
    NoteForm,
    ProposalFilter,
    ProposalForm,
    PublicProposalFilter,
    TeamSearchForm,
)
from programs.innovations import selectors as innovation_selectors
from programs.models import (
    MAX_ADDITIONAL_DOCUMENTS,
    MAX_ATTACHMENTS,
    REVIEW_STATES,
    AidKind,
    Proposal,
)

PAGE_SIZE = 25
QUEUE_SIZE = 25
# What each button of the proposal page asks for, and what it says once done.
TRANSITIONS = {
    "submit": services.submit_proposal,
    "recommend": services.recommend_proposal,
    "escalate": services.escalate_proposal,
    "accept": services.accept_proposal,
    "return": services.return_proposal,
    "decline": services.decline_proposal,
    "withdraw": services.withdraw_proposal,
}


def _page(request, queryset, paginator=Paginator):
    page = paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, filters_query(request)


def _own_verified_profile(user):
    profile = own_profile(user)
    return profile if profile and profile.status == CadreProfile.Status.VERIFIED else None


@login_required
def mine(request):
    """The proposals the user made or works on as a team member."""
    if first_page_asked(request):  # as the menu opens it: rows and count in one statement
        rows, total = selectors.mine_first_page(request.user, PAGE_SIZE)
        page, query = first_page(rows, total, PAGE_SIZE), filters_query(request)
    else:
        page, query = _page(
            request,
            selectors.for_list(selectors.mine(request.user)).order_by(*selectors.MINE_ORDER),
        )
    return render(
        request,
        "programs/mine.html",
        {
            "page": page,
            "query": query,
            "may_propose": _own_verified_profile(request.user) is not None,
            "innovations": list(
                innovation_selectors.my_innovations(request.user).order_by("-created_at")
            ),
        },
    )


@login_required
def waiting(request):
    """What waits for the user's decision, the longest wait first."""
    if first_page_asked(request):
        # The first page, as the menu opens it: its rows and count in one kept statement,
        # without building the queryset of every page (3 ms of conditions per visit).
        rows, total = selectors.waiting_first_page(request.user, PAGE_SIZE)
        page, query = first_page(rows, total, PAGE_SIZE), filters_query(request)
    else:
        page, query = _page(request, selectors.for_list(selectors.waiting_for(request.user)))
    return render(
        request,
        "programs/waiting.html",
        {
            "page": page,
            "query": query,
            "now": timezone.now(),
            # The oldest few of each; the gallery and the admin hold the rest.
            "to_publish": innovation_selectors.first_to_publish(request.user, QUEUE_SIZE),
            "channelled": innovation_selectors.first_channelled_to(request.user, QUEUE_SIZE),
        },
    )


def _listed(user):
    return selectors.for_list(selectors.visible_proposals(user)).order_by(*selectors.LIST_ORDER)


def _filtered(request):
    return ProposalFilter(request.GET, queryset=_listed(request.user), user=request.user)


@login_required
def proposal_list(request):
    """Every proposal the user may see, with filters, search and the exports."""
    # Its rows are given below: the first page as the menu opens it reads none of them.
    proposals = ProposalFilter(request.GET, queryset=Proposal.objects.none(), user=request.user)
    if first_page_asked(request) and nothing_chosen(proposals):
        # The first page and its count in one kept statement.
        rows, total = selectors.visible_first_page(request.user, PAGE_SIZE)
        page, query = first_page(rows, total, PAGE_SIZE), filters_query(request)
    else:
        proposals.queryset = _listed(request.user)
        # An area's proposals (a kota's 1,200, a province's thousands): the page's keys are
        # sorted from an index first, then only their rows are joined to proposer, regions
        # and field (a kota's page query: 6-9 ms of PostgreSQL before, about 1 ms in the two).
        page, query = _page(request, proposals.qs, KeysFirstPaginator)
    return render(
        request,
        "programs/list.html",
        {"filter": proposals, "page": page, "query": query},
        status=400 if proposals.errors else 200,
    )


def public_list(request):
    """Proposals channelled to the province or accepted, for everyone, by area and state."""
    form = PublicProposalFilter(
        request.GET,
        home_region=settings.FORKOM_HOME_REGION,
        public_states=selectors.PUBLIC_STATES,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    area = filters.get("wilayah") or settings.FORKOM_HOME_REGION
    region = None if area == EVERYWHERE else area
    state = filters.get("state") or None
    if first_page_asked(request):
        rows, total = selectors.public_first_page(region, state, PAGE_SIZE)
        page, query = first_page(rows, total, PAGE_SIZE), filters_query(request)
    else:
        page, query = _page(request, selectors.public_keys(region, state))
        page.object_list = selectors.public_rows(page.object_list)  # the page's rows, one query
    return render(
        request,
        "programs/public_list.html",
        {"form": form, "page": page, "query": query},
        status=400 if form.errors else 200,
    )


@login_required
def export(request, kind):
    """The filtered list as CSV or XLSX: the same rows the list shows, never more."""
    proposals = _filtered(request)
    if proposals.errors:
        return refuse(
            request, _("Check the filters and try again."), back_url=reverse("programs:list")
        )
    if kind not in exports.FORMATS:
        raise Http404
    return exports.response(proposals.qs, kind)


ALL_STEPS = "semua"


def _step_asked(request, *, default):
    """The step of the proposal form asked for by `?langkah=` (1 to 5), or None for the
    whole form (`?langkah=semua`); `default` when the link names none. Anything else is
    refused (the caller answers 400)."""
    value = request.GET.get("langkah")
    if value is None:
        return default
    if value == ALL_STEPS:
        return None
    if value.isascii() and value.isdigit() and 1 <= int(value) <= len(STEPS):
        return int(value)
    raise ValueError(value)


def _bad_step(request, back_url):
    return refuse(request, _("This step of the proposal form does not exist."), back_url=back_url)


def _steps(proposal, current, form=None):
    """The stepper's rows: number, title, whether the saved draft has what the step needs
    to be submitted, and whether it is the current one. After a refused post (`form` with
    errors) the parts are those posted, not the saved ones, and a step with a field in error
    is not complete."""
    missing = services.missing_fields(proposal) if proposal is not None else set()
    refused = set()
    if form is not None and form.is_bound and form.errors:
        refused = {_STEP_FIELD.get(name, name) for name in form.errors} - {NON_FIELD_ERRORS}
        if not refused:  # every field was read; the service refused the whole
            missing = services.missing_from(form.proposal_details())
    rows = []
    for number, step in enumerate(STEPS, start=1):
        done = proposal is not None and not (missing | refused).intersection(step.fields)
        if "files" in step.fields:
            done = proposal is not None and proposal.attachments.exists()
        elif "team" in step.fields:  # optional: done once someone joined
            done = proposal is not None and proposal.team.exists()
        rows.append(
            {"number": number, "title": step.title, "done": done, "current": number == current}
        )
    return rows


# The form's fields that a step names by another name: each kind of help is "aids".
_STEP_FIELD = {
    f"aid_{kind}{part}": "aids" for kind in AidKind for part in ("", "_amount", "_note")
}


def team_search(request, back_url):
    """The `?tim=` search for colleagues (the team step, the innovation form), and the 400
    that says why, when it cannot be read."""
    search = TeamSearchForm(request.GET)
    if search.is_valid():
        return search, None
    return search, refuse(
        request,
        _("Search by a part of a name, at most %(count)d characters.")
        % {"count": search.fields["tim"].max_length},
        back_url=back_url,
    )


def _step_of(field):
    """The number of the step that holds `field`."""
    return next(number for number, step in enumerate(STEPS, start=1) if field in step.fields)


def _after_step(request, proposal, number):
    """Where a saved step goes: the next step, the one before ("back"), or the proposal's
    page after the last."""
    if request.POST.get("go") == "stay":  # the team step, to find and add someone more
        pass
    elif request.POST.get("go") == "back" and number > 1:
        number -= 1
    elif number < len(STEPS):
        number += 1
    else:
        return redirect(proposal)
    return redirect(f"{reverse('programs:edit', args=[proposal.public_id])}?langkah={number}")


@login_required
def create(request):
    profile = _own_verified_profile(request.user)
    if profile is None:
        return refuse(
            request,
            _("Only a verified cadre can propose a programme."),
            status=403,
            back_url=reverse("programs:mine"),
        )
    # A new proposal starts at its first step (on a phone, one part per page); the whole
    # form is a link away. Only the first step can make a draft: it holds the title.
    try:
        number = _step_asked(request, default=1 if request.method == "GET" else None)
    except ValueError:
        return _bad_step(request, reverse("programs:create"))
    if number is not None and number > 1:
        number = 1
    step = STEPS[number - 1] if number else None
    form = ProposalForm(request.POST or None, request.FILES or None, proposer=profile, step=step)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            proposal = services.save_draft(
                actor=request.user,
                token=form.cleaned_data["token"],
                details=form.proposal_details(),
                files=form.cleaned_data.get("files") or [],
            )
            if number:
                messages.success(request, _("Your draft is saved."))
                return _after_step(request, proposal, number)
            messages.success(request, _("Your draft is saved. Submit it when it is complete."))
            return redirect(proposal)
    return render(
        request,
        "programs/form.html",
        {
            "form": form,
            "max_attachments": MAX_ATTACHMENTS,
            "step": number,
            "team_step": _step_of("team"),
            "steps": _steps(None, number),
            "step_count": len(STEPS),
        },
        status=form_status(request, form),
    )


@login_required
def edit(request, public_id):
    proposal = selectors.get_visible_or_404(request.user, public_id)
    if proposal.proposer.user_id != request.user.pk:
        return refuse(
            request,
            _("Only the proposer may do this."),
            status=403,
            back_url=proposal.get_absolute_url(),
        )
    if not proposal.is_editable():
        return refuse(
            request,
            _("Only a draft or a returned proposal can be changed."),
            status=409,
            back_url=proposal.get_absolute_url(),
        )
    try:
        number = _step_asked(request, default=None)
    except ValueError:
        return _bad_step(request, reverse("programs:edit", args=[proposal.public_id]))
    step = STEPS[number - 1] if number else None
    search, refused = team_search(request, reverse("programs:edit", args=[proposal.public_id]))
    if refused:
        return refused
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        proposer=proposal.proposer,
        step=step,
        team_search=search.cleaned_data["tim"].strip(),
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.save_draft(
                actor=request.user,
                proposal=proposal,
                token=form.cleaned_data["token"],
                details=form.proposal_details(),
                files=form.cleaned_data.get("files") or [],
                remove=form.cleaned_data.get("remove") or [],
            )
            if number:
                messages.success(
                    request,
                    _("Your draft is saved.")
                    if proposal.state == Proposal.State.DRAFT
                    else _("Your changes are saved."),
                )
                return _after_step(request, proposal, number)
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    return render(
        request,
        "programs/form.html",
        {
            "form": form,
            "proposal": proposal,
            "returned": _returned_event(proposal),
            "max_attachments": MAX_ATTACHMENTS,
            "step": number,
            "team_step": _step_of("team"),
            "team_search": search,
            "steps": _steps(proposal, number, form),
            "step_count": len(STEPS),
        },
        status=form_status(request, form),
    )


def _timeline(events, additional):
    """The proposal's moves and the additional documents given while under review, in the
    order they happened: (time, event or None, document or None)."""
    entries = [(event.at, event, None) for event in events]
    entries += [(file.uploaded_at, None, file) for file in additional]
    return sorted(entries, key=lambda entry: entry[0])


def _returned_event(proposal, events=None):
    """The event that sent a returned proposal back: its note is shown at the top."""
    if proposal.state != Proposal.State.RETURNED:
        return None
    if events is None:
        return proposal.events.filter(after=Proposal.State.RETURNED).last()
    returned = [event for event in events if event.after == Proposal.State.RETURNED]
    return returned[-1] if returned else None


@login_required
def detail(request, public_id):
    return _detail(request, selectors.get_visible_or_404(request.user, public_id))


def _detail(request, proposal, *, status=200, decide_error="", note="", attach_error=""):
    """The proposal's page; after a refused decision or upload, the page again with the
    reason beside the field it concerns (and the note as typed), answered with a 4xx. A
    refused withdrawal or discard is said in its own form, opened (the action posted)."""
    # The page's lists through kept statements (forkom.statements.related).
    team = statements.related(proposal.team)
    events = statements.related(proposal.events)
    attachments = statements.related(proposal.attachments)
    is_proposer = proposal.proposer.user_id == request.user.pk
    additional = [file for file in attachments if file.additional]
    under_review = proposal.state in REVIEW_STATES
    aids = statements.related(proposal.aids)
    missing = (
        services.missing_parts(proposal, has_aids=bool(aids))
        if is_proposer and proposal.state == Proposal.State.DRAFT
        else []
    )
    actions = selectors.actions_for(request.user, proposal, team)
    return render(
        request,
        "programs/detail.html",
        {
            "proposal": proposal,
            "team": team,
            "aids": aids,
            "asked_beyond_budget": selectors.asked_beyond_budget(proposal.budget, aids),
            "missing": missing,
            "events": events,
            "comments": statements.related(proposal.comments),
            "attachments": [file for file in attachments if not file.additional],
            "additional": additional,
            "timeline": _timeline(events, additional),
            "actions": actions,
            "returned": _returned_event(proposal, events),
            "may_attach": is_proposer
            and (
                (proposal.is_editable() and len(attachments) - len(additional) < MAX_ATTACHMENTS)
                or (under_review and len(additional) < MAX_ADDITIONAL_DOCUMENTS)
            ),
            "under_review": under_review,
            "may_edit": is_proposer and proposal.is_editable(),
            "is_proposer": is_proposer,
            "attachment_form": AttachmentForm(),
            "comment_form": CommentForm(initial={"token": uuid.uuid4()}),
            "decide_token": uuid.uuid4(),
            "withdraw_token": uuid.uuid4(),
            "max_attachments": MAX_ADDITIONAL_DOCUMENTS if under_review else MAX_ATTACHMENTS,
            "decide_error": decide_error,
            "error_in": _error_in(request, actions, decide_error),
            "note": note,
            "attach_error": attach_error,
        },
        status=status,
    )


DECIDED_IN_THE_DECIDE_FORM = {"submit", "recommend", "escalate", "accept"}


def _error_in(request, actions, decide_error):
    """Which form of the page says why a decision was refused: the withdrawal's or the
    discard's when that was posted and is still offered, else the decision form, else the
    top of the page (a refused withdrawal said nothing where the decision form was absent)."""
    if not decide_error:
        return ""
    posted = request.POST.get("action", "")
    if posted in {"withdraw", "discard"} and posted in actions:
        return posted
    return "decide" if DECIDED_IN_THE_DECIDE_FORM & set(actions) else "top"


def _again(request, proposal, field, note=""):
    """What a refused decision or upload answers (forkom.http.act's `refused`): the
    proposal's page again, as it now stands, with the reason beside `field`'s input and the
    note as typed."""

    def refused(error):
        fresh = selectors.get_visible_or_404(request.user, proposal.public_id)
        return _detail(request, fresh, status=error.status, note=note, **{field: error.message})

    return refused


@require_POST
@login_required
def show_name(request, public_id):
    """The proposer shows or hides their name on the public programme list."""
    proposal = selectors.get_visible_or_404(request.user, public_id)
    shown = request.POST.get("shown") == "yes"
    return act(
        request,
        services.set_name_shown_publicly,
        back=proposal.get_absolute_url(),
        done=_("The public list shows your name.")
        if shown
        else _("The public list shows no name."),
        proposal=proposal,
        shown=shown,
    )


@require_POST
@login_required
def transition(request, public_id):
    proposal = selectors.get_visible_or_404(request.user, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(
            request,
            proposal,
            status=400,
            decide_error=form_errors(form),
            note=str(request.POST.get("note", ""))[:2000],
        )
    action = form.cleaned_data["action"]
    note = form.cleaned_data["note"]
    if action == "discard":
        return act(
            request,
            services.discard_draft,
            back=proposal.get_absolute_url(),
            done=_("The draft is discarded."),
            then=reverse("programs:mine"),
            refused=_again(request, proposal, "decide_error"),
            proposal=proposal,
        )
    arguments = {"reason": note} if action == "withdraw" else {"note": note}
    return act(
        request,
        TRANSITIONS[action],
        back=proposal.get_absolute_url(),
        done=lambda moved: (
            _("The proposal is now “%(state)s”.") % {"state": moved.get_state_display()}
        ),
        refused=_again(request, proposal, "decide_error", note),
        proposal=proposal,
        token=form.cleaned_data["token"],
        **arguments,
    )


@require_POST
@login_required
def comment(request, public_id):
    proposal = selectors.get_visible_or_404(request.user, public_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return refuse(
            request,
            _("Write a comment of at most 2000 characters."),
            back_url=proposal.get_absolute_url(),
        )
    return act(
        request,
        services.add_comment,
        back=proposal.get_absolute_url(),
        then=proposal.get_absolute_url() + "#discussion",
        proposal=proposal,
        body=form.cleaned_data["body"],
        token=form.cleaned_data["token"],
    )


@require_POST
@login_required
def attach(request, public_id):
    proposal = selectors.get_visible_or_404(request.user, public_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, proposal, status=400, attach_error=form_errors(form))
    return act(
        request,
        services.attach_file,
        back=proposal.get_absolute_url(),
        done=_("The file is attached."),
        then=proposal.get_absolute_url() + "#attachments",
        refused=_again(request, proposal, "attach_error"),
        proposal=proposal,
        upload=form.cleaned_data["file"],
        token=form.cleaned_data["token"],
    )


@require_POST
@login_required
def detach(request, public_id, attachment_id):
    proposal = selectors.get_visible_or_404(request.user, public_id)
    attachment = get_object_or_404(proposal.attachments, public_id=attachment_id)
    return act(
        request,
        services.remove_attachment,
        back=proposal.get_absolute_url(),
        done=_("The file is removed."),
        then=proposal.get_absolute_url() + "#attachments",
        attachment=attachment,
    )


@login_required
def attachment(request, public_id, attachment_id):
    """A file, to those who may see its proposal; to everyone else it does not exist."""
    proposal = selectors.get_visible_or_404(request.user, public_id)
    attachment = get_object_or_404(proposal.attachments, public_id=attachment_id)
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
