import re
import uuid
from functools import partial

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cadres import selectors as cadre_selectors
from cadres.models import CadreProfile, Field
from forkom import scope, statements
from forkom.fields import ModelChoiceField, ModelMultipleChoiceField, is_id
from forkom.filters import ReferenceListFilter
from forkom.pagination import first_rows
from forkom.templatetags.forkom import rupiah
from forkom.territory.codes import ancestor_at
from forkom.territory.models import Region
from programs.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_BENEFICIARIES,
    MAX_RUPIAH,
    PROGRAMME_YEARS,
    AidKind,
    Proposal,
    ProposalAid,
)
from programs.services import (
    DETAIL_FIELDS,
    REQUIRED_PARTS,
    picture_problem,
    sniff_content_type,
)

# "Rp 12.500.000", "12.500.000", "12 500 000" and "12500000" are all twelve and a half million.
RUPIAH = re.compile(r"(?:rp\.?)?\s*([0-9]{1,3}(?:[.\s][0-9]{3})+|[0-9]+)(?:,-)?", re.IGNORECASE)
FORM_INCOMPLETE = _("The form was incomplete. Reload the page and try again.")
OUTSIDE_PROGRAMME_YEARS = _("A programme runs between the years %(first)d and %(last)d.")


def form_token():
    """The one-time key of a rendered form: a new one each time the form is shown empty, the
    same one when it comes back with errors, so the same form posted twice acts once."""
    return forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={"required": FORM_INCOMPLETE, "invalid": FORM_INCOMPLETE},
    )


class RupiahField(forms.Field):
    """A whole number of Rupiah, written as people write it."""

    default_error_messages = {
        "invalid": _("Write a whole number of Rupiah, for example 12.500.000."),
        "max_value": _("At most %(limit)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        match = RUPIAH.fullmatch(value)
        if len(value) > 30 or not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(re.sub(r"[.\s]", "", match.group(1)))
        if amount > MAX_RUPIAH:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": rupiah(MAX_RUPIAH)},
            )
        return amount

    def prepare_value(self, value):
        # 12500000 is shown as 12.500.000 when the form comes back.
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


def _within_programme_years(day):
    first, last = PROGRAMME_YEARS
    if day is not None and not first <= day.year <= last:
        raise ValidationError(
            OUTSIDE_PROGRAMME_YEARS, code="out_of_range", params={"first": first, "last": last}
        )
    return day


ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png"
# Colleagues found by a name in the team step; more and the page asks for more of the name.
TEAM_SEARCH_LIMIT = 20


def show_found(form, name, colleagues, saved, search):
    """Limits the checkboxes of the colleagues field `name` to the ones chosen (as posted,
    else `saved`) and those `search` finds by name, at most TEAM_SEARCH_LIMIT; returns (the
    ones found, whether there were more). A kecamatan has thousands of verified cadres: all
    of them would be a page no phone can scroll (and half a second to draw). What is posted
    is still checked against every colleague."""
    if form.is_bound:
        chosen = [value for value in form.data.getlist(form.add_prefix(name)) if is_id(value)]
    else:
        chosen = saved
    members = list(colleagues.filter(pk__in=chosen)) if chosen else []
    found: list = []
    more = False
    if search:
        found, more = first_rows(colleagues.filter(full_name__icontains=search), TEAM_SEARCH_LIMIT)
    shown = {profile.pk: profile for profile in [*members, *found]}
    form.fields[name].widget.choices = [
        (pk, cadre_selectors.name_and_kelurahan(profile)) for pk, profile in shown.items()
    ]
    return found, more


class TeamSearchForm(forms.Form):
    """`?tim=siti` on the team step: colleagues by a part of their name (never a phone number
    or NIK, which would travel in the address)."""

    tim = forms.CharField(
        label=_("Find a colleague by name"),
        required=False,
        max_length=CadreProfile._meta.get_field("full_name").max_length,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files chosen in one input, each checked as a proposal's attachment: a PDF,
    JPEG or PNG (by its first bytes, not its name) of at most 5 MB."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        checked, errors = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            if upload.size > MAX_ATTACHMENT_BYTES:
                errors.append(_("%(name)s: a file may be at most 5 MB.") % {"name": upload.name})
            elif (content_type := sniff_content_type(upload)) is None:
                errors.append(
                    _("%(name)s: only PDF, JPEG and PNG files can be attached.")
                    % {"name": upload.name}
                )
            elif problem := picture_problem(upload, content_type):
                errors.append(f"{upload.name}: {problem}")
            checked.append(upload)
        if errors:
            raise ValidationError(errors)
        return checked


class Step:
    """One part of the proposal written on its own page: its title and the form's fields
    it holds ("aids" stands for every kind of help's three fields)."""

    def __init__(self, title, fields):
        self.title, self.fields = title, fields


# A proposal written in steps on a phone, each saved as a draft before the next.
STEPS = (
    Step(_("The programme"), ("title", "summary", "field")),
    Step(_("Problem, needs and resources"), ("problem", "needs", "resources")),
    Step(
        _("Plan"),
        (
            "goals",
            "activities",
            "target_group",
            "beneficiaries",
            "location",
            "starts_on",
            "ends_on",
            "budget",
        ),
    ),
    Step(_("What the proposal asks for"), ("aids",)),
    Step(_("Team"), ("team",)),
    Step(_("Documents"), ("files", "remove")),
)


class ProposalForm(forms.ModelForm):
    budget = RupiahField(
        label=_("Budget (Rupiah)"), help_text=_("For example 12.500.000."), required=False
    )
    beneficiaries = forms.IntegerField(
        label=_("Number of beneficiaries"),
        required=False,
        min_value=0,
        max_value=MAX_BENEFICIARIES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # The form's one-time key: the same new draft, or the same files, posted twice are saved
    # once (a draft's own changes posted twice are the same change anyway).
    token = form_token()
    files = DocumentsField(
        label=_("Add files (PDF, JPEG or PNG, at most 5 MB each)"),
        required=False,
        help_text=_("For example a budget plan, a photo of the site or a letter of support."),
    )

    class Meta:
        model = Proposal
        fields = [*DETAIL_FIELDS, "team"]
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "problem": _("The problem (masalah)"),
            "needs": _("What is needed (kebutuhan)"),
            "resources": _("Resources already available (sumber daya)"),
            "goals": _("Goals"),
            "activities": _("Planned activities"),
            "target_group": _("Target group"),
            "location": _("Kelurahan where it takes place"),
            "field": _("Field of work"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "team": _("Team members"),
        }
        help_texts = {
            "summary": _("Two or three sentences that say what the programme is."),
            "problem": _("What problem of the community does it address?"),
            "resources": _("People, places, tools or money the community already has."),
            "target_group": _("For example: young mothers, fishermen, Karang Taruna members."),
            "team": _("Other verified cadres of your kecamatan who work on it with you."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "team": forms.CheckboxSelectMultiple,
        }
        # Forged ids beyond 64 bits are a wrong choice, not a server error.
        field_classes = {
            "location": ModelChoiceField,
            "field": ModelChoiceField,
            "team": ModelMultipleChoiceField,
        }

    def __init__(self, *args, proposer, step=None, team_search="", **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if self.instance.pk:
            self.fields["remove"] = ModelMultipleChoiceField(
                label=_("Remove"),
                queryset=self.instance.attachments.filter(additional=False),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["remove"].label_from_instance = lambda file: file.original_name
        kecamatan = proposer.kelurahan.parent_id
        self.fields["location"].queryset = Region.objects.active().filter(
            level=Region.Level.DESA_KELURAHAN, parent_id=kecamatan
        )
        self.fields["location"].empty_label = "—"
        # A draft needs only its title; these are marked * as needed before submitting.
        for name in REQUIRED_PARTS:
            self.fields[name].needed_to_submit = True
        self.fields["field"].refer_to(Field, active_only=True)
        self.fields["field"].empty_label = "—"
        self.fields["team"].queryset = cadre_selectors.colleagues(proposer)
        self.fields["team"].label_from_instance = cadre_selectors.name_and_kelurahan
        # One row per kind of help: asked for?, amount, note.
        aids = {aid.kind: aid for aid in self.instance.aids.all()} if self.instance.pk else {}
        for kind in AidKind:
            aid = aids.get(kind)
            self.fields[f"aid_{kind}"] = forms.BooleanField(
                label=kind.label, required=False, initial=aid is not None
            )
            self.fields[f"aid_{kind}_amount"] = RupiahField(
                label=_("Amount (Rupiah)"), required=False, initial=aid and aid.amount
            )
            self.fields[f"aid_{kind}_note"] = forms.CharField(
                label=_("Note"), max_length=300, required=False, initial=aid and aid.note
            )
        if step is not None:
            # One step's page holds and posts only its own fields; the others keep their
            # saved values (proposal_details).
            kept = {"token", *step.fields}
            for name in list(self.fields):
                if name not in kept and not (name.startswith("aid_") and "aids" in kept):
                    del self.fields[name]
        self.team_found: list = []
        self.team_more = False
        if "team" in self.fields:
            self._show_team(cadre_selectors.colleagues(proposer), team_search)

    def _show_team(self, colleagues, search):
        """The team's checkboxes: its members and the colleagues `search` finds."""
        saved = list(self.instance.team.values_list("pk", flat=True)) if self.instance.pk else []
        self.team_found, self.team_more = show_found(self, "team", colleagues, saved, search)

    def aid_rows(self):
        return [
            (kind, self[f"aid_{kind}"], self[f"aid_{kind}_amount"], self[f"aid_{kind}_note"])
            for kind in AidKind
        ]

    def clean_starts_on(self):
        return _within_programme_years(self.cleaned_data["starts_on"])

    def clean_ends_on(self):
        return _within_programme_years(self.cleaned_data["ends_on"])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        kept = self.attached_count() - len(data.get("remove") or [])
        if data.get("files") and kept + len(data["files"]) > MAX_ATTACHMENTS:
            self.add_error(
                "files",
                _("A proposal has at most %(count)d files; %(kept)d are attached.")
                % {"count": MAX_ATTACHMENTS, "kept": kept},
            )
        return data

    def attached_count(self):
        if not self.instance.pk:
            return 0
        if "remove" in self.fields:
            return len(self.attached())
        return self.instance.attachments.filter(additional=False).count()

    def attached(self):
        """The files attached while writing, which this form can remove."""
        if not hasattr(self, "_attached"):
            self._attached = (
                list(self.fields["remove"].queryset) if "remove" in self.fields else []
            )
        return self._attached

    def _post_clean(self):
        # The services check the proposal as a whole; the form only parses what was typed.
        pass

    def proposal_details(self):
        """The cleaned data as create_draft and update_draft take it. On a step's page, the
        parts it does not hold are the draft's saved ones."""
        data, saved = self.cleaned_data, self.instance
        if f"aid_{AidKind.TRAINING}" in self.fields:
            aids = [
                (kind.value, data[f"aid_{kind}_amount"], data[f"aid_{kind}_note"])
                for kind in AidKind
                if data.get(f"aid_{kind}")
            ]
        else:
            aids = (
                [(aid.kind, aid.amount, aid.note) for aid in saved.aids.all()] if saved.pk else []
            )
        if "team" in self.fields:
            team = list(data["team"])
        else:
            team = list(saved.team.all()) if saved.pk else []
        names = [name for name in self.Meta.fields if name != "team"]
        return {
            **{
                name: data[name] if name in self.fields else getattr(saved, name) for name in names
            },
            "aids": aids,
            "team": team,
        }


class NoteForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (name, name)
            for name in (
                "submit",
                "recommend",
                "escalate",
                "accept",
                "return",
                "decline",
                "withdraw",
                "discard",
            )
        ]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    token = forms.UUIDField()


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    token = forms.UUIDField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    token = form_token()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("A file may be at most 5 MB."))
        return upload


def _areas(user):
    kecamatan, kelurahan = Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN
    return (
        scope.scoped(
            Region.objects.filter(level__in=[kecamatan, kelurahan]),
            user,
            "code",
            scope.OFFICERS_AND_ABOVE,
        )
        .order_by(
            "level",
            Case(When(level=kecamatan, then=Value("")), default=F("parent__name")),
            "name",
        )
        .values_list("level", "code", "name", "parent__name")
    )


_area_choices: statements.Kept[statements.Statement | None] = statements.Kept()


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        choices=Proposal.State.choices, label=_("State"), empty_label=_("All")
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), empty_label=_("All"), method="in_kecamatan"
    )
    kelurahan = django_filters.ChoiceFilter(
        field_name="location", label=_("Kelurahan"), empty_label=_("All")
    )
    aid = django_filters.ChoiceFilter(
        choices=AidKind.choices, label=_("Help asked for"), empty_label=_("All"), method="asks"
    )
    field = ReferenceListFilter(model=Field, label=_("Field of work"), empty_label=_("All"))
    period_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        label=_("Running on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Running on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Proposal
        fields = ["q", "state", "kecamatan", "kelurahan", "aid", "field"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The kecamatan by name, then the kelurahan by their kecamatan's name and their own:
        # one query of four columns (two of whole rows with their parents took 1.9 ms of the
        # coordinator's list on the national seed, this 0.8).
        # Read through a statement kept per viewer (forkom.scope.viewer_key), its rows afresh.
        rows = statements.kept_rows(
            _area_choices, (Region.objects.db, scope.viewer_key(user)), partial(_areas, user)
        )
        kecamatan = Region.Level.KECAMATAN
        kecamatan_choices = []
        groups: dict[str, list[tuple[str, str]]] = {}
        for level, code, name, parent_name in rows:
            if level == kecamatan:
                kecamatan_choices.append((code, name))
            else:
                groups.setdefault(parent_name, []).append((code, name))
        self.filters["kecamatan"].extra["choices"] = kecamatan_choices
        self.filters["kelurahan"].extra["choices"] = list(groups.items())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(proposer__full_name__icontains=value)
        )

    def in_kecamatan(self, queryset, name, value):
        return queryset.filter(location__parent_id=value)

    def asks(self, queryset, name, value):
        return queryset.filter(
            Exists(ProposalAid.objects.filter(proposal=OuterRef("pk"), kind=value))
        )


# The public programme list's choice for the whole country.
EVERYWHERE = "semua"


# The public list's area choices and names, kept per home region.
_public_areas: statements.Kept[statements.Statement | None] = statements.Kept()


class PublicProposalFilter(forms.Form):
    """The public programme list's filters: an area (a kecamatan, or one of its kelurahan)
    of the portal's kota, and the state."""

    wilayah = forms.ChoiceField(label=_("Area"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, home_region, public_states, **kwargs):
        super().__init__(*args, **kwargs)
        # The same for every visitor: read through statements kept per home region.
        regions = statements.kept_rows(
            _public_areas,
            (Region.objects.db, "below", home_region),
            lambda: (
                Region.objects.active()
                .below(home_region)
                .filter(level__in=[Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN])
                .order_by("code")
                .values_list("code", "name", "level", "parent_id")
            ),
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        names = {}
        for code, name, level, parent_code in regions:
            if level == Region.Level.KECAMATAN:
                names[code] = name
                label = _("All of Kecamatan %(name)s") % {"name": name}
                groups.setdefault(code, []).append((code, label))
            else:
                groups.setdefault(parent_code, []).append((code, name))
        # By default the portal's kota; wider on request (issue 18: the whole country's
        # list cost a count over every channelled proposal for a visitor from Bontang).
        province = ancestor_at(home_region, 1)
        above = dict(
            statements.kept_rows(
                _public_areas,
                (Region.objects.db, "names", home_region),
                lambda: (
                    Region.objects.filter(code__in={home_region, province})
                    .order_by("code")
                    .values_list("code", "name")
                ),
            )
        )
        wider = (
            [(province, _("All of %(name)s") % {"name": above[province]})]
            if province != home_region and province in above
            else []
        )
        self.fields["wilayah"].choices = [
            ("", _("All of %(name)s") % {"name": above.get(home_region, home_region)}),
            *wider,
            (EVERYWHERE, _("All of Indonesia")),
            *((names.get(code, code), choices) for code, choices in groups.items()),
        ]
        self.fields["state"].choices = [
            ("", _("All")),
            *((state.value, state.label) for state in public_states),
        ]
