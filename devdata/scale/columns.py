"""The columns each seeded table is written with, and the seeded models."""

from cadres.models import (
    Announcement,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    Forum,
    ForumEvent,
    ForumMember,
    Meeting,
    MeetingInvitation,
)
from forkom.accounts.models import RoleAssignment, User
from programs.models import (
    Innovation,
    InnovationEvent,
    Proposal,
    ProposalAid,
    ProposalEvent,
)
from trainings.models import Registration, Training, TrainingEvent

USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "first_name", "last_name", "is_staff",
    "is_active", "date_joined", "email",
]  # fmt: skip
ROLE_COLUMNS = [
    "user_id", "role", "region_id", "position", "starts_on", "ends_on", "is_active",
    "granted_by_id", "granted_at", "revoked_at",
]  # fmt: skip
CONSENT_COLUMNS = ["user_id", "version", "agreed_at", "withdrawn_at", "recorded_by_id"]
PROFILE_COLUMNS = [
    "id", "public_id", "user_id", "full_name", "nik", "sex", "birth_place", "birth_date",
    "phone", "address", "kelurahan_id", "education", "skills", "status", "rejection_reason",
    "registered_by_id", "created_at", "updated_at",
]  # fmt: skip
MEMBERSHIP_COLUMNS = ["profile_id", "body_id", "position", "since_year"]
FORUM_COLUMNS = ["region_id", "sk_number", "sk_date", "sk_recorded_by_id", "created_at"]
FORUM_EVENT_COLUMNS = [
    "forum_id", "actor_id", "kind", "subject_id", "before", "after", "note", "at",
]  # fmt: skip
FORUM_MEMBER_COLUMNS = ["forum_id", "profile_id", "started_on", "ended_on"]
CADRE_EVENT_COLUMNS = ["profile_id", "actor_id", "before", "after", "note", "at"]
PROPOSAL_COLUMNS = [
    "id", "public_id", "proposer_id", "title", "summary", "problem", "needs", "resources",
    "goals", "activities", "target_group", "beneficiaries", "location_id", "field_id",
    "starts_on", "ends_on", "budget", "state", "returned_from", "created_at", "updated_at",
    "first_submitted_at", "state_changed_at",
]  # fmt: skip
PROPOSAL_EVENT_COLUMNS = [
    "proposal_id", "actor_id", "actor_name", "actor_role", "before", "after", "note",
    "at", "token",
]  # fmt: skip
AID_COLUMNS = ["proposal_id", "kind", "amount", "note"]
INNOVATION_COLUMNS = [
    "id", "public_id", "recorded_by_id", "title", "description", "field_id", "kelurahan_id",
    "results", "impact", "proposal_id", "state", "created_at", "published_at",
    "channelled_at",
]  # fmt: skip
INNOVATION_EVENT_COLUMNS = [
    "innovation_id", "actor_id", "actor_name", "actor_role", "kind", "note", "at",
]  # fmt: skip
TRAINING_COLUMNS = [
    "id", "title", "description", "organiser", "venue", "venue_kecamatan_id", "starts_at",
    "ends_at", "capacity", "registration_opens_at", "registration_closes_at", "state",
    "created_at",
]  # fmt: skip
TRAINING_EVENT_COLUMNS = [
    "training_id", "registration_id", "actor_id", "kind", "before", "after", "note", "at",
]  # fmt: skip
REGISTRATION_COLUMNS = [
    "id", "training_id", "profile_id", "status", "attended", "certificate_code",
    "reminder_sent_at", "created_at", "cancelled_at",
]  # fmt: skip
SEEDED_MODELS = [
    User, RoleAssignment, ConsentRecord, CadreProfile, CadreMembership,
    CadreProfile.fields.through, CadreProfile.training_needs.through, Forum, ForumMember,
    ForumEvent, CadreEvent, Proposal, ProposalEvent, ProposalAid, Proposal.team.through,
    Innovation, InnovationEvent, Innovation.cadres.through, Training, Training.topics.through,
    Training.eligible_bodies.through, Registration, TrainingEvent, Announcement, Meeting,
    MeetingInvitation,
]  # fmt: skip
