"""Proposals in the Dinas admin: read-only, scoped to the staff member's region.

Nobody edits a proposal's state here: the decisions are admin actions that call the same
services as the site (with the same checks, events and emails), after asking for a note.
Drafts that were never submitted stay with their proposer and are not listed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forkom.admin import ReadOnlyInline, ScopedAdmin, region_filter
from forkom.dates import formatted
from forkom.errors import DomainError
from forkom.pagination import EstimatedKeysFirstPaginator
from forkom.templatetags.forkom import rupiah
from programs import services
from programs.models import (
    MAX_NOTE_LENGTH,
    AidKind,
    Attachment,
    Proposal,
    ProposalAid,
    ProposalEvent,
)

KecamatanFilter = region_filter("location__code")


class AidKindFilter(admin.SimpleListFilter):
    title = _("help asked for")
    parameter_name = "aid"

    def lookups(self, request, model_admin):
        return AidKind.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            Exists(ProposalAid.objects.filter(proposal=OuterRef("pk"), kind=self.value()))
        )


class AidInline(ReadOnlyInline):
    model = ProposalAid
    fields = ["kind", "amount", "note"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, attachment):
        return format_html(
            '<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name
        )


class EventInline(ReadOnlyInline):
    """The timeline: every move, who made it, and the note."""

    model = ProposalEvent
    verbose_name_plural = _("timeline")
    fields = ["at", "before", "after", "actor_name", "actor_role", "note"]
    readonly_fields = fields
    ordering = ["-at", "-pk"]  # the latest first

    def get_queryset(self, request):
        # Each row is named after its proposal (ProposalEvent.__str__).
        return super().get_queryset(request).select_related("proposal")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin):
    scope_path = "location__code"
    staff_may_add = False
    # The page's keys first, then its rows: joining a province's 3,569 proposals to their
    # proposers and kelurahan before sorting them to show 100 took 35 ms of PostgreSQL.
    paginator = EstimatedKeysFirstPaginator
    list_display = ["title", "proposer", "location", "state_since", "budget_rp"]
    list_filter = ["state", KecamatanFilter, AidKindFilter]
    list_select_related = ["proposer", "location"]
    search_fields = ["title", "proposer__full_name"]
    date_hierarchy = "state_changed_at"
    fields = [
        "public_id",
        "title",
        "state",
        "returned_from",
        "proposer",
        "team",
        "location",
        "field",
        *services.DETAIL_TEXTS[1:],  # the texts after the title
        "beneficiaries",
        "starts_on",
        "ends_on",
        "budget_rp",
        "first_submitted_at",
        "state_changed_at",
    ]
    readonly_fields = fields
    inlines = [AidInline, AttachmentInline, EventInline]
    actions = ["recommend", "escalate", "accept", "send_back", "decline"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(first_submitted_at__isnull=False)

    def has_change_permission(self, request, obj=None):
        return False  # read only: the proposer writes it, the actions decide on it

    @admin.display(description=_("budget"), ordering="budget")
    def budget_rp(self, proposal):
        return rupiah(proposal.budget)

    # One column for the state and since when: apart, they pushed the budget out of sight
    # beside the filters on a laptop. Sorted by the date, as the list is (filtered by state).
    @admin.display(description=_("state"), ordering="state_changed_at")
    def state_since(self, proposal):
        since = formatted(timezone.localtime(proposal.state_changed_at), "DATETIME_FORMAT")
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            proposal.get_state_display(),
            _("since %(since)s") % {"since": since},
        )

    @admin.action(description=_("Recommend the selected proposals (kecamatan forum)"))
    def recommend(self, request, queryset):
        return self._decide(request, queryset, "recommend", services.recommend_proposal, False)

    @admin.action(description=_("Escalate the selected proposals to the province"))
    def escalate(self, request, queryset):
        return self._decide(request, queryset, "escalate", services.escalate_proposal, False)

    @admin.action(description=_("Accept the selected proposals into the provincial programme"))
    def accept(self, request, queryset):
        return self._decide(request, queryset, "accept", services.accept_proposal, False)

    @admin.action(description=_("Return the selected proposals for revision"))
    def send_back(self, request, queryset):
        return self._decide(request, queryset, "send_back", services.return_proposal, True)

    @admin.action(description=_("Decline the selected proposals"))
    def decline(self, request, queryset):
        return self._decide(request, queryset, "decline", services.decline_proposal, True)

    def _decide(self, request, queryset, action, move, note_required):
        """Ask for the note, then make the move on each proposal through its service."""
        form = NoteForm(request.POST if "apply" in request.POST else None, required=note_required)
        if form.is_bound and form.is_valid():
            done = 0
            for proposal in queryset:
                try:
                    move(actor=request.user, proposal=proposal, note=form.cleaned_data["note"])
                except DomainError as error:
                    self.message_user(request, f"{proposal}: {error.message}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d proposal moved.", "%(count)d proposals moved.", done)
                    % {"count": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "programs/admin/note.html",
            {
                **self.admin_site.each_context(request),
                "title": self.get_action(action).description,
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
            status=400 if form.is_bound else 200,
        )


from programs.innovations import admin as innovation_admin  # noqa: E402, F401  (registers it)
