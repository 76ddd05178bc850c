"""What cadres holds about a person: the profile and its history, consent, forums, requests.

Forgetting keeps the rows that counts and timelines need, and blanks what names or
describes the person; see forkom/personal_data.py for how the parts are collected.
"""

from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import selectors
from cadres.forums import services as forum_services
from cadres.models import (
    ActivationCode,
    Announcement,
    CadreEvent,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    ExportJob,
    ForumEvent,
    ForumMember,
    Meeting,
    MeetingInvitation,
    PersonalDataView,
)
from cadres.phones import display_phone
from forkom import personal_data
from forkom.accounts.models import Role, RoleAssignment, User

Status = CadreProfile.Status


def export(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consents": [
            {
                "version": consent.version,
                "agreed_at": consent.agreed_at,
                "withdrawn_at": consent.withdrawn_at,
                "recorded_by_an_officer": consent.recorded_by_id is not None,
            }
            for consent in ConsentRecord.objects.filter(user=user).order_by("agreed_at")
        ],
        "forum_events_about_you": [
            {"at": event.at, "kind": event.kind, "forum": event.forum_id}
            for event in ForumEvent.objects.filter(subject=user).order_by("at", "pk")
        ],
        "deletion_requests": list(
            DeletionRequest.objects.filter(user=user)
            .order_by("requested_at")
            .values("requested_at", "status", "reason", "handled_at", "note")
        ),
        "activation_codes": list(
            ActivationCode.objects.filter(profile__user=user)
            .order_by("issued_at")
            .values("issued_at", "expires_at", "used_at", "revoked_at")
        ),
        "announcements_written": list(
            Announcement.objects.filter(author=user)
            .order_by("created_at")
            .values("public_id", "title", "state", "created_at", "published_at")
        ),
        "meeting_invitations": [
            {
                "meeting": invitation.meeting.title,
                "starts_at": invitation.meeting.starts_at,
                "meeting_state": invitation.meeting.state,
                "answer": invitation.answer,
                "attended": invitation.attended,
                "follow_ups": [
                    {"text": f.text, "due_on": f.due_on, "done_at": f.done_at}
                    for f in invitation.follow_ups.all()
                ],
            }
            for invitation in MeetingInvitation.objects.filter(user=user)
            .select_related("meeting")
            .prefetch_related("follow_ups")
            .order_by("meeting__starts_at")
        ],
        "profile": None,
    }
    profile = selectors.own_profile(user)
    if profile is not None:
        data.update(_profile_data(user, profile))
    return data


def _profile_data(user: User, profile: CadreProfile) -> dict[str, Any]:
    kelurahan = profile.kelurahan
    kecamatan = kelurahan.parent
    assert kecamatan is not None  # a kelurahan always lies in a kecamatan
    return {
        "profile": {
            "public_id": profile.public_id,
            "full_name": profile.full_name,
            "nik": profile.nik,
            # A NIK given that another profile holds, while the officers check it.
            "nik_being_checked": list(profile.nik_reviews.open().values_list("nik", flat=True)),
            "sex": profile.sex,
            "birth_place": profile.birth_place,
            "birth_date": profile.birth_date,
            "phone": profile.phone,
            "address": profile.address,
            "kelurahan": {"code": kelurahan.code, "name": kelurahan.name},
            "kecamatan": {"code": kecamatan.code, "name": kecamatan.name},
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
                "from": event.before,
                "to": event.after,
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


def forget(forgetting: personal_data.Forgetting) -> None:
    """The profile keeps its place in the counts (kelurahan, bodies, birth year, status
    inactive) and loses everything that identifies the person; their forum memberships and
    officer terms end through the forums' own services (their locks and events)."""
    user, actor = forgetting.user, forgetting.actor
    profile = CadreProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None:
        from_status = profile.status
        profile.full_name = personal_data.ANONYMISED_NAME
        profile.nik = None
        profile.nik_reviews.all().delete()
        profile.birth_place = ""
        # The year alone still counts ages; the day and month went with the person.
        profile.birth_date = date(profile.birth_date.year, 1, 1)
        profile.phone = ""
        profile.address = ""
        profile.skills = ""
        profile.rejection_reason = ""
        profile.status = Status.INACTIVE
        profile.save()
        profile.memberships.update(position="")
        profile.events.update(note="")  # free text about the person, written by others
        CadreEvent.objects.create(
            profile=profile,
            actor=actor,
            before=from_status,
            after=Status.INACTIVE,
            note=forgetting.note or _("Personal data deleted at the cadre's request."),
        )
        for member in (
            ForumMember.objects.current().filter(profile=profile).select_related("forum")
        ):
            forum_services.remove_member(actor=actor, forum=member.forum, profile=profile)
    personal_data.forget_admin_history(
        CadreProfile.objects.filter(user=user),
        ForumMember.objects.filter(profile__user=user),
        title=personal_data.ANONYMISED_NAME,
    )
    ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    for assignment in RoleAssignment.objects.current().filter(user=user, role=Role.FORUM_OFFICER):
        forum_services.end_officer_term(actor=actor, assignment=assignment)
    # Sign-in codes open the account: none may outlive the person's data.
    ActivationCode.objects.filter(profile__user=user).delete()
    MeetingInvitation.objects.filter(user=user).update(
        name=personal_data.ANONYMISED_NAME, position=""
    )
    # The person's own words about why they asked for deletion name them too.
    DeletionRequest.objects.filter(user=user).update(reason="")
    # Lists they had prepared hold other people's data: gone with their account.
    for job in ExportJob.objects.filter(requested_by=user):
        if job.file.name:
            transaction.on_commit(partial(job.file.storage.delete, job.file.name))
        job.delete()
    # Forgotten another way (retention, a re-application after a restore): nothing is left
    # for staff to carry out. A request being carried out is closed again by its service.
    DeletionRequest.objects.filter(user=user, status=DeletionRequest.Status.OPEN).update(
        status=DeletionRequest.Status.DONE,
        handled_by=actor,
        handled_at=timezone.now(),
        note=forgetting.note or "",
    )


def public_id(user: User) -> UUID | None:
    """The profile's public id, for the deletion log (forkom/deletion_log.py)."""
    return CadreProfile.objects.filter(user=user).values_list("public_id", flat=True).first()


# How the person reads each key of the export (Data saya as a page and a PDF).
LABELS: personal_data.Labels = {
    "activation_codes": gettext_lazy("Sign-in codes"),
    "address": gettext_lazy("Address"),
    "agreed_at": gettext_lazy("Agreed at"),
    "announcements_written": gettext_lazy("Announcements you wrote"),
    "answer": gettext_lazy("Answer"),
    "at": gettext_lazy("When"),
    "attended": gettext_lazy("Attended"),
    "birth_date": gettext_lazy("Date of birth"),
    "birth_place": gettext_lazy("Place of birth"),
    "body": gettext_lazy("Body"),
    "by_you": gettext_lazy("By you"),
    "consents": gettext_lazy("Consents"),
    "created_at": gettext_lazy("Created at"),
    "deletion_requests": gettext_lazy("Deletion requests"),
    "done_at": gettext_lazy("Done at"),
    "due_on": gettext_lazy("Due on"),
    "education": gettext_lazy("Education"),
    "ended_on": gettext_lazy("Ended on"),
    "events": gettext_lazy("History"),
    "expires_at": gettext_lazy("Expires at"),
    "fields_of_work": gettext_lazy("Fields of work"),
    "follow_ups": gettext_lazy("Follow-ups"),
    "forum": gettext_lazy("Forum (region code)"),
    "forum_events_about_you": gettext_lazy("Forum records about you"),
    "forum_memberships": gettext_lazy("Forum memberships"),
    "forum_name": gettext_lazy("Forum"),
    "from": gettext_lazy("From"),
    "full_name": gettext_lazy("Full name"),
    "handled_at": gettext_lazy("Handled at"),
    "issued_at": gettext_lazy("Issued at"),
    "kecamatan": gettext_lazy("Kecamatan"),
    "kelurahan": gettext_lazy("Kelurahan"),
    "kind": gettext_lazy("Kind"),
    "meeting": gettext_lazy("Meeting"),
    "meeting_invitations": gettext_lazy("Meeting invitations"),
    # Whether the meeting was held as invited, moved on to its minutes, or cancelled.
    "meeting_state": gettext_lazy("Meeting status"),
    "memberships": gettext_lazy("Bodies you serve in"),
    "nik": gettext_lazy("NIK"),
    "nik_being_checked": gettext_lazy("NIK being checked"),
    "note": gettext_lazy("Note"),
    "phone": gettext_lazy("Mobile / WhatsApp"),
    "position": gettext_lazy("Position"),
    "profile": gettext_lazy("Cadre profile"),
    "public_id": gettext_lazy("Reference"),
    "published_at": gettext_lazy("Published at"),
    "reason": gettext_lazy("Reason"),
    "recorded_by_an_officer": gettext_lazy("Recorded by an officer"),
    "registered_by_an_officer": gettext_lazy("Registered by an officer"),
    "rejection_reason": gettext_lazy("Reason for rejection"),
    "requested_at": gettext_lazy("Requested at"),
    "revoked_at": gettext_lazy("Revoked at"),
    "sex": gettext_lazy("Sex"),
    "since_year": gettext_lazy("Since (year)"),
    "skills": gettext_lazy("Skills"),
    "started_on": gettext_lazy("Started on"),
    "starts_at": gettext_lazy("Starts at"),
    "state": gettext_lazy("State"),
    "status": gettext_lazy("Status"),
    "title": gettext_lazy("Title"),
    "to": gettext_lazy("To"),
    "training_needs": gettext_lazy("Training needs"),
    "updated_at": gettext_lazy("Updated at"),
    "used_at": gettext_lazy("Used at"),
    "version": gettext_lazy("Version"),
    "views_of_your_full_data_by_staff": gettext_lazy("Views of your full data by Dinas staff"),
    "withdrawn_at": gettext_lazy("Withdrawn at"),
    # Whose status: the profile's, a request's, an announcement's, not a training sign-up's.
    ("profile", "status"): gettext_lazy("Cadre profile status"),
    ("deletion_requests", "status"): gettext_lazy("Request status"),
    ("announcements_written", "state"): gettext_lazy("Announcement status"),
    # What the invitee answered beforehand, apart from what the daftar hadir recorded.
    ("meeting_invitations", "answer"): gettext_lazy("Your answer"),
    ("meeting_invitations", "attended"): gettext_lazy("Attended (daftar hadir)"),
}


# How the person reads the codes stored in those keys.
VALUES = {
    ("forum_events_about_you", "kind"): personal_data.choices(ForumEvent, "kind"),
    ("deletion_requests", "status"): personal_data.choices(DeletionRequest, "status"),
    ("announcements_written", "state"): personal_data.choices(Announcement, "state"),
    ("meeting_invitations", "answer"): personal_data.choices(MeetingInvitation, "answer"),
    ("meeting_invitations", "meeting_state"): personal_data.choices(Meeting, "state"),
    ("profile", "sex"): personal_data.choices(CadreProfile, "sex"),
    ("profile", "education"): personal_data.choices(CadreProfile, "education"),
    ("profile", "phone"): display_phone,  # as the lists and exports write it
    ("profile", "status"): personal_data.choices(CadreProfile, "status"),
    ("events", "from"): personal_data.choices(CadreEvent, "before"),
    ("events", "to"): personal_data.choices(CadreEvent, "after"),
}


def lock_first(user_id: int) -> None:
    """The person's profile, which the services acting for them lock before their account
    (cadres.services.lock_acting_cadre) and a deletion too (carry_out_deletion)."""
    CadreProfile.objects.select_for_update().filter(user_id=user_id).first()


personal_data.register(
    lock_first=lock_first,
    labels=LABELS,
    values=VALUES,
    covers=(
        "cadres.CadreProfile.user",
        # Who registered, recorded, handled, viewed or acted: officers' and staff's own
        # accounts, forgotten with them; their names are read from the account, not copied.
        "cadres.CadreProfile.registered_by",
        "cadres.CadreMembership.profile",
        "cadres.ConsentRecord.user",
        "cadres.ConsentRecord.recorded_by",
        "cadres.CadreEvent.profile",
        "cadres.CadreEvent.actor",
        "cadres.PersonalDataView.viewer",
        "cadres.PersonalDataView.profile",
        "cadres.NikReview.profile",
        # Sign-in codes: deleted with the person; the officer who issued one is kept as a key.
        "cadres.ActivationCode.profile",
        "cadres.ActivationCode.issued_by",
        # Long cadre lists an officer or staff member had prepared: their own requests.
        "cadres.ExportJob.requested_by",
        # Sheets an officer or staff member imported: the history keeps the counts, the
        # uploader's key is cleared (SET NULL) with their account.
        "cadres.CadreImport.uploaded_by",
        "cadres.Forum.sk_recorded_by",
        "cadres.ForumMember.profile",
        "cadres.ForumEvent.actor",
        "cadres.ForumEvent.subject",
        "cadres.DeletionRequest.user",
        "cadres.DeletionRequest.handled_by",
        # Announcements are written in a role, signed with it ("Ketua, Forkom KPM …"), not
        # with the person's name: they stay published; the author's key is cleared.
        "cadres.Announcement.author",
        "cadres.AnnouncementEvent.actor",
        # Meetings: the organiser's key is cleared with their account (the meeting is the
        # forum's); an invitee's name on the list and the daftar hadir is anonymised.
        "cadres.Meeting.organiser",
        "cadres.MeetingInvitation.user",
        "cadres.MeetingEvent.actor",
    ),
    export=export,
    forget=forget,
    public_id=public_id,
)
