"""Downloads: a cadre's own data (JSON, "data saya") and officers' cadre lists (CSV, XLSX).

The lists hold only what an officer needs to reach and count cadres: the NIK masked, no
birth date, no address. Rows are read in chunks of plain values with their bodies and
fields, so the queries grow only by three per CHUNK_SIZE rows and memory stays flat.
"""

import json
from itertools import batched

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import selectors
from cadres.consent import CONSENT_VERSION
from cadres.models import (
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    ForumEvent,
    ForumMember,
    PersonalDataView,
    Sex,
    mask_nik,
)
from cadres.phones import display_phone
from forkom import scope, spreadsheets
from forkom.accounts.models import RoleAssignment
from programs.models import (
    Attachment,
    Comment,
    Innovation,
    InnovationPhoto,
    Proposal,
    ProposalEvent,
)
from trainings.models import Registration, TrainingEvent

CHUNK_SIZE = 500
FORMATS = spreadsheets.FORMATS


# --- Data saya --------------------------------------------------------------------------


def personal_data(user):
    """Everything stored about `user`, and nothing about anyone else.

    Officers and staff who acted on the person appear only as "by you" or not: their names
    are their own personal data. On a proposal, only the user's own moves carry their note,
    and only the user's own comments are listed; teammates appear not at all.
    """
    profile = CadreProfile.objects.select_related("kelurahan", "kelurahan__parent").filter(
        user=user
    )
    profile = profile.first()
    data = {
        "generated_at": timezone.now(),
        "consent_text_version": CONSENT_VERSION,
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "email_addresses": list(
            user.emailaddress_set.order_by("email").values("email", "verified", "primary")
        ),
        "consents": [
            {
                "version": consent.version,
                "agreed_at": consent.agreed_at,
                "withdrawn_at": consent.withdrawn_at,
                "recorded_by_an_officer": consent.recorded_by_id is not None,
            }
            for consent in ConsentRecord.objects.filter(user=user).order_by("agreed_at")
        ],
        "role_assignments": _role_assignments(user),
        "forum_events_about_you": [
            {"at": event.at, "kind": event.kind, "forum": event.forum_id}
            for event in ForumEvent.objects.filter(subject=user).order_by("at", "pk")
        ],
        "deletion_requests": list(
            DeletionRequest.objects.filter(user=user)
            .order_by("requested_at")
            .values("requested_at", "status", "reason", "handled_at", "note")
        ),
        "proposal_events": _proposal_events(user),
        "comments": [
            {
                "proposal": comment["proposal__public_id"],
                "proposal_title": comment["proposal__title"],
                "at": comment["at"],
                "body": comment["body"],
                "shown_as": comment["author_name"],
                "role": comment["author_role"],
            }
            for comment in Comment.objects.filter(author=user)
            .order_by("at", "pk")
            .values(
                "proposal__public_id",
                "proposal__title",
                "at",
                "body",
                "author_name",
                "author_role",
            )
        ],
        "attachments": [
            {
                "proposal": attachment["proposal__public_id"],
                "proposal_title": attachment["proposal__title"],
                "original_name": attachment["original_name"],
                "content_type": attachment["content_type"],
                "size_bytes": attachment["size"],
                "uploaded_at": attachment["uploaded_at"],
            }
            for attachment in Attachment.objects.filter(uploaded_by=user)
            .order_by("uploaded_at", "pk")
            .values(
                "proposal__public_id",
                "proposal__title",
                "original_name",
                "content_type",
                "size",
                "uploaded_at",
            )
        ],
        "profile": None,
    }
    if profile is not None:
        data.update(_profile_data(user, profile))
    return data


def _profile_data(user, profile):
    kelurahan = profile.kelurahan
    return {
        "profile": {
            "public_id": profile.public_id,
            "full_name": profile.full_name,
            "nik": profile.nik,
            "sex": profile.sex,
            "birth_place": profile.birth_place,
            "birth_date": profile.birth_date,
            "phone": profile.phone,
            "address": profile.address,
            "kelurahan": {"code": kelurahan.code, "name": kelurahan.name},
            "kecamatan": {"code": kelurahan.parent_id, "name": kelurahan.parent.name},
            "education": profile.education,
            "skills": profile.skills,
            "status": profile.status,
            "rejection_reason": profile.rejection_reason,
            "registered_by_an_officer": profile.registered_by_id is not None,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
        },
        "memberships": [
            {"body": m.body.name, "position": m.position, "since_year": m.since_year}
            for m in profile.memberships.select_related("body")
        ],
        "fields_of_work": [field.name for field in profile.fields.all()],
        "training_needs": [topic.name for topic in profile.training_needs.all()],
        "events": [
            {
                "at": event.at,
                "from": event.from_status,
                "to": event.to_status,
                "note": event.note,
                "by_you": event.actor_id == user.pk,
            }
            for event in profile.events.all()
        ],
        "forum_memberships": [
            {
                "forum": member.forum_id,
                "forum_name": member.forum.region.name,
                "started_on": member.started_on,
                "ended_on": member.ended_on,
            }
            for member in ForumMember.objects.filter(profile=profile)
            .select_related("forum__region")
            .order_by("started_on", "pk")
        ],
        "views_of_your_full_data_by_staff": list(
            PersonalDataView.objects.filter(profile=profile)
            .order_by("at")
            .values_list("at", flat=True)
        ),
        "proposals": _proposals(profile),
        "innovations": _innovations(profile),
        "training_registrations": _training_registrations(user, profile),
    }


def _proposal_events(user):
    """The moves of the user's proposals (as proposer or team member) and the user's own moves
    anywhere. Someone else's move shows only its state change and date: no name, no note."""
    own_proposals = Proposal.objects.filter(Q(proposer__user=user) | Q(team__user=user))
    events = (
        ProposalEvent.objects.filter(Q(actor=user) | Q(proposal__in=own_proposals.values("pk")))
        .order_by("at", "pk")
        .values(
            "proposal__public_id",
            "proposal__title",
            "at",
            "from_state",
            "to_state",
            "note",
            "actor_id",
        )
    )
    rows = []
    for event in events:
        by_you = event["actor_id"] == user.pk
        rows.append(
            {
                "proposal": event["proposal__public_id"],
                "proposal_title": event["proposal__title"],
                "at": event["at"],
                "from": event["from_state"],
                "to": event["to_state"],
                "by_you": by_you,
                "note": event["note"] if by_you else None,
            }
        )
    return rows


def _proposals(profile):
    """The proposals the cadre made, in full, and those they are on the team of: title, state
    and place only, since the rest is the proposer's."""
    team_of = Proposal.team.through.objects.filter(cadreprofile=profile).values("proposal_id")
    proposals = (
        Proposal.objects.filter(Q(proposer=profile) | Q(pk__in=team_of))
        .select_related("location", "field")
        .prefetch_related("aids")
        .order_by("created_at", "pk")
    )
    rows = []
    for proposal in proposals:
        row = {
            "public_id": proposal.public_id,
            "title": proposal.title,
            "your_role": "proposer" if proposal.proposer_id == profile.pk else "team_member",
            "state": proposal.state,
            "returned_from": proposal.returned_from,
            "location": {"code": proposal.location_id, "name": proposal.location.name},
            "state_changed_at": proposal.state_changed_at,
        }
        if proposal.proposer_id == profile.pk:
            row.update(
                {
                    "summary": proposal.summary,
                    "problem": proposal.problem,
                    "needs": proposal.needs,
                    "resources": proposal.resources,
                    "goals": proposal.goals,
                    "activities": proposal.activities,
                    "target_group": proposal.target_group,
                    "beneficiaries": proposal.beneficiaries,
                    "field": proposal.field.name if proposal.field else None,
                    "starts_on": proposal.starts_on,
                    "ends_on": proposal.ends_on,
                    "budget": proposal.budget,
                    "aids": [
                        {"kind": aid.kind, "amount": aid.amount, "note": aid.note}
                        for aid in proposal.aids.all()
                    ],
                    "created_at": proposal.created_at,
                    "updated_at": proposal.updated_at,
                    "first_submitted_at": proposal.first_submitted_at,
                }
            )
        rows.append(row)
    return rows


def _innovations(profile):
    """The innovations the cadre recorded, in full with their photos' metadata (never the
    files), and those they are named behind: title, state and place only."""
    behind = Innovation.cadres.through.objects.filter(cadreprofile=profile).values("innovation_id")
    innovations = (
        Innovation.objects.filter(Q(recorded_by=profile) | Q(pk__in=behind))
        .select_related("kelurahan", "field")
        .prefetch_related(
            Prefetch("photos", queryset=InnovationPhoto.objects.order_by("uploaded_at", "pk"))
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for innovation in innovations:
        recorder = innovation.recorded_by_id == profile.pk
        row = {
            "public_id": innovation.public_id,
            "title": innovation.title,
            "your_role": "recorder" if recorder else "cadre_behind_it",
            "state": innovation.state,
            "kelurahan": {"code": innovation.kelurahan_id, "name": innovation.kelurahan.name},
            "published_at": innovation.published_at,
        }
        if recorder:
            row.update(
                {
                    "description": innovation.description,
                    "results": innovation.results,
                    "impact": innovation.impact,
                    "field": innovation.field.name if innovation.field else None,
                    "created_at": innovation.created_at,
                    "channelled_at": innovation.channelled_at,
                    "photos": [
                        {
                            "caption": photo.caption,
                            "content_type": photo.content_type,
                            "size_bytes": photo.size,
                            "uploaded_at": photo.uploaded_at,
                        }
                        for photo in innovation.photos.all()
                    ],
                }
            )
        rows.append(row)
    return rows


def _training_registrations(user, profile):
    """Sign-ups with their training and history. The certificate code only where it certifies
    something: attended, and the training finished."""
    registrations = (
        Registration.objects.filter(profile=profile)
        .select_related("training")
        .prefetch_related(Prefetch("events", queryset=TrainingEvent.objects.order_by("at", "pk")))
        .order_by("created_at", "pk")
    )
    rows = []
    for registration in registrations:
        training = registration.training
        rows.append(
            {
                "training": {
                    "title": training.title,
                    "organiser": training.organiser,
                    "venue": training.venue,
                    "starts_at": training.starts_at,
                    "ends_at": training.ends_at,
                    "state": training.state,
                },
                "status": registration.status,
                "attended": registration.attended,
                "certificate_code": (
                    registration.certificate_code if registration.has_certificate() else None
                ),
                "signed_up_at": registration.created_at,
                "cancelled_at": registration.cancelled_at,
                "reminder_sent_at": registration.reminder_sent_at,
                "events": [
                    {"at": event.at, "kind": event.kind, "by_you": event.actor_id == user.pk}
                    for event in registration.events.all()
                ],
            }
        )
    return rows


def _role_assignments(user):
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .select_related("region", "officer_field__field")
        .order_by("starts_on", "pk")
    )
    rows = []
    for assignment in assignments:
        officer_field = getattr(assignment, "officer_field", None)
        rows.append(
            {
                "role": assignment.role,
                "position": assignment.position,
                "field": officer_field.field.name if officer_field else None,
                "region": {"code": assignment.region_id, "name": assignment.region.name},
                "starts_on": assignment.starts_on,
                "ends_on": assignment.ends_on,
                "is_active": assignment.is_active,
            }
        )
    return rows


def personal_data_response(user):
    body = json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"data-saya-forkom-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Cadre lists for officers -------------------------------------------------------------


def _headers(with_phone):
    headers = [
        _("Name"),
        _("NIK (masked)"),
        _("Sex"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Bodies"),
        _("Fields of work"),
        _("Status"),
    ]
    return [*headers, _("Mobile / WhatsApp")] if with_phone else headers


def _sees_phones(viewer):
    return viewer.is_superuser or bool(scope.region_codes(viewer, selectors.CONTACT_ROLES))


def cadre_rows(queryset, viewer):
    """The header, then one row per cadre.

    The phone column is there for forum officers and Dinas staff, filled for the cadres of
    their own area; the Koordinator Kota gets none. Rows are read as plain values,
    CHUNK_SIZE at a time, each chunk with one query for its bodies and one for its fields:
    three queries per chunk, no model instances.
    """
    with_phone = _sees_phones(viewer)
    yield _headers(with_phone)
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in CadreProfile.Status.choices}
    rows = queryset.select_related(None).values_list(
        "pk",
        "full_name",
        "nik",
        "sex",
        "status",
        "phone",
        "kelurahan_id",
        "kelurahan__name",
        "kelurahan__parent__name",
    )
    for chunk in batched(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        bodies = _names_by_profile(
            CadreMembership.objects.filter(profile_id__in=ids)
            .order_by("body__sort_order", "body__name")
            .values_list("profile_id", "body__name")
        )
        fields = _names_by_profile(
            CadreProfile.fields.through.objects.filter(cadreprofile_id__in=ids)
            .order_by("field__sort_order", "field__name")
            .values_list("cadreprofile_id", "field__name")
        )
        for pk, name, nik, sex, status, phone, code, kelurahan, kecamatan in chunk:
            row = [
                name,
                mask_nik(nik),
                sexes.get(sex, sex),
                kelurahan,
                kecamatan,
                ", ".join(bodies.get(pk, ())),
                ", ".join(fields.get(pk, ())),
                statuses.get(status, status),
            ]
            if with_phone:
                row.append(
                    display_phone(phone)
                    if scope.can_act(viewer, code, selectors.CONTACT_ROLES)
                    else ""
                )
            yield row


def _names_by_profile(pairs):
    names = {}
    for profile_id, name in pairs:
        names.setdefault(profile_id, []).append(name)
    return names


def cadre_list_response(queryset, format, viewer):
    """The list as CSV or XLSX, every cell as text (a NIK or phone must not become a number)."""
    rows = ([str(value) for value in row] for row in cadre_rows(queryset, viewer))
    return spreadsheets.response(
        format,
        rows,
        f"kader-forkom-{timezone.localdate():%Y-%m-%d}",
        sheet_name=_("Cadres"),
        widths=(30, 20, 12, 20, 18, 30, 30, 22, 16),  # the last, phone, may be absent
    )
