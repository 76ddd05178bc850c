"""Downloads: a cadre's own data (JSON, "data saya") and officers' cadre lists (CSV, XLSX).

The lists hold only what an officer needs to reach and count cadres: the NIK masked, no
birth date, no address. Rows are read in chunks of plain values with their bodies and
fields, so the queries grow only by three per CHUNK_SIZE rows and memory stays flat.
"""

import json
from itertools import batched

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from forkom import spreadsheets
from forkom.accounts.models import RoleAssignment

CHUNK_SIZE = 500
FORMATS = spreadsheets.FORMATS


# --- Data saya --------------------------------------------------------------------------


def personal_data(user):
    """Everything stored about `user`, and nothing about anyone else.

    Officers and staff who acted on the person appear only as "by you" or not: their names
    are their own personal data.
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
    }


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


def _headers():
    return [
        _("Name"),
        _("NIK (masked)"),
        _("Sex"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Bodies"),
        _("Fields of work"),
        _("Status"),
        _("Mobile / WhatsApp"),
    ]


def cadre_rows(queryset):
    """The header, then one row per cadre.

    Rows are read as plain values, CHUNK_SIZE at a time, each chunk with one query for its
    bodies and one for its fields: three queries per chunk, no model instances.
    """
    yield _headers()
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in CadreProfile.Status.choices}
    rows = queryset.select_related(None).values_list(
        "pk",
        "full_name",
        "nik",
        "sex",
        "status",
        "phone",
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
        for pk, name, nik, sex, status, phone, kelurahan, kecamatan in chunk:
            yield [
                name,
                mask_nik(nik),
                sexes.get(sex, sex),
                kelurahan,
                kecamatan,
                ", ".join(bodies.get(pk, ())),
                ", ".join(fields.get(pk, ())),
                statuses.get(status, status),
                display_phone(phone),
            ]


def _names_by_profile(pairs):
    names = {}
    for profile_id, name in pairs:
        names.setdefault(profile_id, []).append(name)
    return names


def cadre_list_response(queryset, format):
    """The list as CSV or XLSX, every cell as text (a NIK or phone must not become a number)."""
    rows = ([str(value) for value in row] for row in cadre_rows(queryset))
    return spreadsheets.response(
        format,
        rows,
        f"kader-forkom-{timezone.localdate():%Y-%m-%d}",
        sheet_name=_("Cadres"),
        widths=(30, 20, 12, 20, 18, 30, 30, 22, 16),
    )
