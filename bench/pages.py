"""Every GET page of the site and the admin, each asked for by its natural persona: the table
that `make bench` times (bench/dashboards.py) and that tests/site/test_bench_coverage.py
holds against the URL patterns.

ROUTES maps a URL name to a Route: who asks (a persona of Kota Bontang 64.74 picked from the
national seed, see `find_seed`), what kind of page it is (the goals depend on it), and how to
build its path from the rows picked. EXCLUDED maps the URL names that are not timed to the
reason. This module imports no Django at import time, so the coverage test can read it on
SQLite without the seed.

Kinds: "list" and "detail" are the pages the signed-in goal is about (a list of rows, one
object's page), the admin's changelists included; "form" is a page around a form (admin
change forms included), "file" a download (CSV, XLSX, PDF, ICS, PNG, JSON),
"dashboard" the figures pages (goals of their own, in milliseconds), "redirect" an address
that only sends the visitor on.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

PILOT_KOTA = "64.74"  # Kota Bontang
PILOT_PROVINCE = "64"  # Kalimantan Timur

ANONYMOUS = "anonymous"
CADRE = "cadre"
KELURAHAN_OFFICER = "kelurahan_officer"
KECAMATAN_OFFICER = "kecamatan_officer"
COORDINATOR = "coordinator"
STAFF = "staff"
PERSONAS = (ANONYMOUS, CADRE, KELURAHAN_OFFICER, KECAMATAN_OFFICER, COORDINATOR, STAFF)
SIGNED_IN_GOAL_KINDS = {"list", "detail"}


@dataclass
class Seed:
    """The rows of the national seed the pages are asked about (see `find_seed`)."""

    users: dict[str, Any]  # persona -> User (None for the visitor)
    kota: str = PILOT_KOTA
    province: str = PILOT_PROVINCE
    kecamatan: str = ""  # the kecamatan officer's, where the training is held
    kelurahan: str = ""  # the cadre's, where the kelurahan officer serves
    profile: Any = None  # the cadre's profile
    proposal: Any = None  # waiting for the coordinator (recommended)
    training: Any = None  # published, the cadre holds a seat
    certificate_code: str = ""  # the cadre's, of a finished training attended
    innovation: Any = None  # published in the gallery
    forum: Any = None  # the cadre's kelurahan forum
    forum_member: Any = None
    role_assignment: Any = None  # the coordinator's
    body: Any = None
    field_of_work: Any = None
    topic: Any = None
    # Made by the bench at start and removed at the end (the seed has none): make_extras.
    announcement: Any = None
    meeting: Any = None
    authenticator: Any = None  # the staff persona's second factor, which the admin requires
    extras: dict[str, Any] = field(default_factory=dict)


class Route(NamedTuple):
    persona: str
    kind: str
    path: Callable[[Seed], str]


def url(name: str, *args: Any, query: str = "", **kwargs: Any) -> str:
    from django.urls import reverse

    path = reverse(name, args=args or None, kwargs=kwargs or None)
    return f"{path}?{query}" if query else path


def simple(name: str, persona: str, kind: str, /, **kwargs: Any) -> tuple[str, Route]:
    return name, Route(persona, kind, lambda seed: url(name, **kwargs))


SITE_ROUTES: dict[str, Route] = dict(
    [
        simple("livez", ANONYMOUS, "probe"),
        simple("healthz", ANONYMOUS, "probe"),
        simple("home", ANONYMOUS, "detail"),
        simple("privacy", ANONYMOUS, "detail"),
        simple("manifest", ANONYMOUS, "file"),
        simple("icon", ANONYMOUS, "file", size=192),
        simple("favicon", ANONYMOUS, "file"),
        simple("og_image", ANONYMOUS, "file"),
        simple("territory:index", ANONYMOUS, "list"),
        (
            "territory:region",
            Route(ANONYMOUS, "detail", lambda s: url("territory:region", code=s.kota)),
        ),
        # The cadre's own pages.
        simple("cadres:mine", CADRE, "detail"),
        simple("cadres:consent", CADRE, "form"),
        simple("cadres:register", CADRE, "form"),
        simple("cadres:my_data", CADRE, "detail"),
        simple("cadres:download", CADRE, "file"),
        simple("cadres:my_data_page", CADRE, "detail"),
        simple("cadres:my_data_pdf", CADRE, "file"),
        simple("cadres:edit", CADRE, "form"),
        simple("cadres:sign_in_with_code", ANONYMOUS, "form"),
        simple("cadres:register_assisted", KELURAHAN_OFFICER, "form"),
        simple("cadres:import", STAFF, "form"),
        simple("cadres:import_template", STAFF, "file"),
        # The coordinator's list of the kota's cadres and what hangs off it.
        simple("cadres:list", COORDINATOR, "list"),
        simple("cadres:export", COORDINATOR, "file", format="csv"),
        simple("cadres:prepared_downloads", COORDINATOR, "list"),
        (
            "cadres:detail",
            Route(
                COORDINATOR,
                "detail",
                lambda s: url("cadres:detail", public_id=s.profile.public_id),
            ),
        ),
        # Forums.
        simple("forums:directory", ANONYMOUS, "list"),
        (
            "forums:detail",
            Route(ANONYMOUS, "detail", lambda s: url("forums:detail", code=s.kelurahan)),
        ),
        (
            # As used: a search for a cadre to add ("siti", a given name of the seed's
            # vocabulary), its rows on top of the officers, the members and the history.
            "forums:manage",
            Route(
                KELURAHAN_OFFICER,
                "detail",
                lambda s: url("forums:manage", code=s.kelurahan, query="name=siti"),
            ),
        ),
        # Trainings: the public catalogue, the cadre's seat, the organising officer's pages.
        simple("trainings:list", ANONYMOUS, "list"),
        simple("trainings:manage", KECAMATAN_OFFICER, "list"),
        simple("trainings:mine", CADRE, "list"),
        (
            "trainings:detail",
            Route(ANONYMOUS, "detail", lambda s: url("trainings:detail", pk=s.training.pk)),
        ),
        (
            "trainings:ics",
            Route(ANONYMOUS, "file", lambda s: url("trainings:ics", pk=s.training.pk)),
        ),
        (
            "trainings:certificate",
            Route(
                CADRE, "file", lambda s: url("trainings:certificate", pk=s.extras["finished"].pk)
            ),
        ),
        (
            "trainings:checkin_qr",
            Route(CADRE, "file", lambda s: url("trainings:checkin_qr", pk=s.training.pk)),
        ),
        (
            "trainings:participants",
            Route(
                KECAMATAN_OFFICER,
                "list",
                lambda s: url("trainings:participants", pk=s.training.pk),
            ),
        ),
        (
            "trainings:export_csv",
            Route(
                KECAMATAN_OFFICER, "file", lambda s: url("trainings:export_csv", pk=s.training.pk)
            ),
        ),
        (
            "trainings:export_xlsx",
            Route(
                KECAMATAN_OFFICER, "file", lambda s: url("trainings:export_xlsx", pk=s.training.pk)
            ),
        ),
        (
            "trainings:sheet",
            Route(KECAMATAN_OFFICER, "detail", lambda s: url("trainings:sheet", pk=s.training.pk)),
        ),
        (
            "trainings:check_in",
            Route(
                KECAMATAN_OFFICER, "form", lambda s: url("trainings:check_in", pk=s.training.pk)
            ),
        ),
        simple("certificates:lookup", ANONYMOUS, "form"),
        (
            "certificates:verify",
            Route(
                ANONYMOUS, "detail", lambda s: url("certificates:verify", code=s.certificate_code)
            ),
        ),
        # Proposals and innovations.
        simple("programs:mine", CADRE, "list"),
        simple("programs:create", CADRE, "form"),
        simple("programs:waiting", KECAMATAN_OFFICER, "list"),
        simple("programs:list", COORDINATOR, "list"),
        simple("programs:public", ANONYMOUS, "list"),
        simple("programs:export", COORDINATOR, "file", kind="csv"),
        simple("programs:gallery", ANONYMOUS, "list"),
        simple("programs:innovation_record", CADRE, "form"),
        (
            "programs:innovation",
            Route(
                ANONYMOUS,
                "detail",
                lambda s: url("programs:innovation", public_id=s.innovation.public_id),
            ),
        ),
        (
            "programs:detail",
            Route(
                COORDINATOR,
                "detail",
                lambda s: url("programs:detail", public_id=s.proposal.public_id),
            ),
        ),
        (
            "programs:edit",
            Route(
                CADRE,
                "form",
                lambda s: url("programs:edit", public_id=s.extras["draft"].public_id),
            ),
        ),
        # Dashboards.
        simple("dashboard:home", COORDINATOR, "redirect"),
        (
            "dashboard:city",
            Route(COORDINATOR, "dashboard", lambda s: url("dashboard:city", code=s.kota)),
        ),
        (
            "dashboard:city_export",
            Route(
                COORDINATOR,
                "file",
                lambda s: url("dashboard:city_export", code=s.kota, format="xlsx"),
            ),
        ),
        (
            "dashboard:city_kecamatan",
            Route(
                COORDINATOR,
                "dashboard",
                lambda s: url("dashboard:city_kecamatan", code=s.kota, kecamatan_code=s.kecamatan),
            ),
        ),
        (
            "dashboard:city_kecamatan_export",
            Route(
                COORDINATOR,
                "file",
                lambda s: url(
                    "dashboard:city_kecamatan_export",
                    code=s.kota,
                    kecamatan_code=s.kecamatan,
                    format="csv",
                ),
            ),
        ),
        (
            "dashboard:province",
            Route(STAFF, "dashboard", lambda s: url("dashboard:province", code=s.province)),
        ),
        (
            "dashboard:province_export",
            Route(
                STAFF,
                "file",
                lambda s: url("dashboard:province_export", code=s.province, format="csv"),
            ),
        ),
        # Announcements and meetings: made by the bench (the seed has none).
        simple("announcements:list", CADRE, "list"),
        simple("announcements:write", COORDINATOR, "form"),
        (
            "announcements:feed",
            Route(ANONYMOUS, "file", lambda s: url("announcements:feed", code=s.kelurahan)),
        ),
        (
            "announcements:detail",
            Route(
                CADRE,
                "detail",
                lambda s: url("announcements:detail", public_id=s.announcement.public_id),
            ),
        ),
        (
            "announcements:edit",
            Route(
                COORDINATOR,
                "form",
                lambda s: url(
                    "announcements:edit", public_id=s.extras["draft_announcement"].public_id
                ),
            ),
        ),
        simple("meetings:list", KELURAHAN_OFFICER, "list"),
        simple("meetings:schedule", KELURAHAN_OFFICER, "form"),
        (
            "meetings:detail",
            Route(
                CADRE, "detail", lambda s: url("meetings:detail", public_id=s.meeting.public_id)
            ),
        ),
        (
            "meetings:minutes",
            Route(
                KELURAHAN_OFFICER,
                "form",
                lambda s: url("meetings:minutes", public_id=s.meeting.public_id),
            ),
        ),
        (
            "meetings:ics",
            Route(CADRE, "file", lambda s: url("meetings:ics", public_id=s.meeting.public_id)),
        ),
        (
            "meetings:sheet",
            Route(
                KELURAHAN_OFFICER,
                "detail",
                lambda s: url("meetings:sheet", public_id=s.meeting.public_id),
            ),
        ),
        (
            "meetings:pdf",
            Route(CADRE, "file", lambda s: url("meetings:pdf", public_id=s.meeting.public_id)),
        ),
        # Notifications, languages, accounts.
        simple("notifications:inbox", CADRE, "list"),
        simple("notifications:preferences", CADRE, "form"),
        simple("set_language", ANONYMOUS, "redirect"),
        simple("account_login", ANONYMOUS, "form"),
        simple("account_logout", CADRE, "form"),
        simple("account_inactive", ANONYMOUS, "detail"),
        simple("account_signup", ANONYMOUS, "form"),
        simple("account_confirm_reauthentication_code", CADRE, "form"),
        simple("account_email", CADRE, "form"),
        simple("account_email_verification_sent", ANONYMOUS, "detail"),
        simple("account_change_password", CADRE, "form"),
        simple("account_set_password", CADRE, "form"),
        simple("account_reset_password", ANONYMOUS, "form"),
        simple("account_confirm_login_code", ANONYMOUS, "form"),
        simple("account_reset_password_from_key_done", ANONYMOUS, "detail"),
        simple("account_reset_password_done", ANONYMOUS, "detail"),
        simple("mfa_index", STAFF, "detail"),
        simple("mfa_authenticate", ANONYMOUS, "form"),
        simple("mfa_reauthenticate", STAFF, "form"),
        simple("mfa_activate_totp", STAFF, "form"),
        simple("mfa_deactivate_totp", STAFF, "form"),
        simple("mfa_generate_recovery_codes", STAFF, "form"),
    ]
)

# The admin models and the row of each to open, as Dinas staff of Kalimantan Timur.
ADMIN_OBJECTS: dict[str, Callable[[Seed], Any]] = {
    "accounts.user": lambda s: s.users[CADRE],
    "accounts.roleassignment": lambda s: s.role_assignment,
    "territory.region": lambda s: s.extras["kelurahan_region"],
    "cadres.forum": lambda s: s.forum,
    "cadres.forummember": lambda s: s.forum_member,
    "cadres.body": lambda s: s.body,
    "cadres.field": lambda s: s.field_of_work,
    "cadres.topic": lambda s: s.topic,
    "cadres.cadreprofile": lambda s: s.profile,
    "cadres.announcement": lambda s: s.announcement,
    "cadres.meeting": lambda s: s.meeting,
    "trainings.training": lambda s: s.training,
    "programs.proposal": lambda s: s.proposal,
    "programs.innovation": lambda s: s.innovation,
}
# The models Dinas staff may add rows of (the others answer 403); they delete none.
ADMIN_STAFF_ADDS = {
    "accounts.roleassignment",
    "accounts.roleinvitation",
    "territory.region",
    "cadres.forum",
    "cadres.body",
    "cadres.field",
    "cadres.topic",
    "trainings.training",
}
# Registered models the seed holds no row of (within Kalimantan Timur): their changelists are
# timed, the pages about one row are excluded.
ADMIN_EMPTY = [
    "accounts.roleinvitation",
    "outbox.outgoingemail",
    "cadres.personaldataview",
    "cadres.cadreimport",
    "cadres.deletionrequest",
]
# Registered models only superusers open (the seed has none): Dinas staff get a 403.
ADMIN_SUPERUSER_ONLY = [
    "auth.group",
    "django_tasks_database.dbtaskresult",
    "account.emailaddress",
    "mfa.authenticator",
]
ADMIN_ROW_VIEWS = {"change": "form", "history": "list"}
ADMIN_VIEWS = ["changelist", "add", "change", "history", "delete"]


def admin_name(label: str, view: str) -> str:
    return "admin:" + label.replace(".", "_") + "_" + view


def admin_page(name: str) -> Callable[[Seed], str]:
    """The path of the admin page `name` that names no row (a list, an add form)."""
    return lambda seed: url(name)


def admin_row_route(label: str, view: str, kind: str) -> Route:
    def path(seed: Seed) -> str:
        return url(admin_name(label, view), ADMIN_OBJECTS[label](seed).pk)

    return Route(STAFF, kind, path)


def admin_routes() -> dict[str, Route]:
    routes = {
        "admin:index": Route(STAFF, "list", lambda s: url("admin:index")),
        "admin:app_list": Route(
            STAFF, "list", lambda s: url("admin:app_list", app_label="cadres")
        ),
        "admin:password_change": Route(STAFF, "form", lambda s: url("admin:password_change")),
        "admin:password_change_done": Route(
            STAFF, "detail", lambda s: url("admin:password_change_done")
        ),
        "admin:jsi18n": Route(STAFF, "file", lambda s: url("admin:jsi18n")),
        "admin:login": Route(ANONYMOUS, "redirect", lambda s: url("admin:login")),
        "admin:autocomplete": Route(
            STAFF,
            "list",
            lambda s: url(
                "admin:autocomplete",
                query="app_label=cadres&model_name=forummember&field_name=profile&term=siti",
            ),
        ),
        "admin:view_on_site": Route(
            STAFF,
            "redirect",
            lambda s: url("admin:view_on_site", s.extras["profile_type"], s.profile.pk),
        ),
        # The number search's page; the search itself posts.
        "admin:cadres_cadreprofile_phone_search": Route(
            STAFF, "form", lambda s: url("admin:cadres_cadreprofile_phone_search")
        ),
        "admin:auth_user_password_change": Route(
            STAFF, "form", lambda s: url("admin:auth_user_password_change", s.users[CADRE].pk)
        ),
    }
    for label in [*ADMIN_OBJECTS, *ADMIN_EMPTY]:
        routes[admin_name(label, "changelist")] = Route(
            STAFF, "list", admin_page(admin_name(label, "changelist"))
        )
        if label in ADMIN_STAFF_ADDS:
            routes[admin_name(label, "add")] = Route(
                STAFF, "form", admin_page(admin_name(label, "add"))
            )
    for label in ADMIN_OBJECTS:
        for view, kind in ADMIN_ROW_VIEWS.items():
            routes[admin_name(label, view)] = admin_row_route(label, view, kind)
    return routes


ROUTES: dict[str, Route] = {**SITE_ROUTES, **admin_routes()}

# Addresses that show a signed-in person another page than a visitor's: `/` is the public
# home for a visitor and, signed in, what the person has to do now (dashboard.views.landing:
# a section per hat they wear, each with its counts and oldest items), the first page after
# signing in. Each is also timed as these personas, as "<name>, signed in", a detail page.
SIGNED_IN_FACES: dict[str, tuple[str, ...]] = {
    "home": (CADRE, KELURAHAN_OFFICER, KECAMATAN_OFFICER, COORDINATOR, STAFF),
}


def timed() -> list[tuple[str, str, Route]]:
    """What `make bench` times, in order: (its name in the table, its URL name, its route)
    for every route (named by its URL name), each followed by its signed-in faces."""
    found = []
    for name, route in ROUTES.items():
        found.append((name, name, route))
        for persona in SIGNED_IN_FACES.get(name, ()):
            face = route._replace(persona=persona, kind="detail")
            found.append((f"{name}, signed in", name, face))
    return found


POST_ONLY = "POST only"
NOT_IN_SEED = "not in the seed"
NO_PASSWORD = "refused (403) to the seed's accounts, which have no password"
STAFF_MAY_NOT = "refused (403) to Dinas staff, and the seed has no superuser"
# Views that answer a GET with 405 (require_POST, the admin's logout): the coverage test
# finds those marked require_POST and holds this list to them.
POST_ONLY_NAMES = [
    "cadres:import_confirm",
    "cadres:import_map",
    "cadres:verify",
    "cadres:reject",
    "cadres:claim_email",
    "cadres:issue_code",
    "forums:record_sk",
    "forums:appoint",
    "forums:end_term",
    "forums:add_member",
    "forums:remove_member",
    "trainings:publish",
    "trainings:cancel_training",
    "trainings:finish",
    "programs:transition",
    "programs:show_name",
    "programs:comment",
    "programs:attach",
    "programs:detach",
    "programs:innovation_publish",
    "programs:innovation_channel",
    "programs:innovation_photo_add",
    "programs:innovation_photo_remove",
    "dashboard:decide",
    "announcements:publish",
    "announcements:withdraw",
    "meetings:answer",
    "meetings:publish_minutes",
    "meetings:complete_follow_up",
    "notifications:open",
    "notifications:mark_all_read",
    "admin:logout",
    "cadres:withdraw_consent",
    "cadres:request_deletion",
    "trainings:register",
    "trainings:cancel",
    "trainings:attendance",
    "trainings:capacity",
]
EXCLUDED: dict[str, str] = {
    **dict.fromkeys(POST_ONLY_NAMES, POST_ONLY),
    "cadres:prepared_download": NOT_IN_SEED + ": no export prepared",
    "cadres:import_detail": NOT_IN_SEED + ": no cadre import",
    "cadres:import_rejected": NOT_IN_SEED + ": no cadre import",
    "programs:innovation_photo": NOT_IN_SEED + ": no innovation photo",
    "programs:attachment": NOT_IN_SEED + ": no proposal attachment",
    "accounts:invitation": NOT_IN_SEED + ": no invitation (and its token is a secret sent "
    "by email)",
    "account_confirm_email": "reached by a secret key sent by email",
    "account_reauthenticate": NO_PASSWORD,
    "account_request_reauthentication_code": NO_PASSWORD,
    "mfa_view_recovery_codes": NOT_IN_SEED + ": no recovery codes (404)",
    "mfa_download_recovery_codes": NOT_IN_SEED + ": no recovery codes (404)",
    "account_reset_password_from_key": "reached by a secret key sent by email",
    **{
        admin_name(label, view): NOT_IN_SEED + f": no {label} row in Kalimantan Timur"
        for label in ADMIN_EMPTY
        for view in ADMIN_ROW_VIEWS
    },
    **{
        admin_name(label, view): "superusers only, and the seed has no superuser"
        for label in ADMIN_SUPERUSER_ONLY
        for view in ADMIN_VIEWS
    },
    **{
        admin_name(label, "add"): STAFF_MAY_NOT
        for label in [*ADMIN_OBJECTS, *ADMIN_EMPTY]
        if label not in ADMIN_STAFF_ADDS
    },
    **{admin_name(label, "delete"): STAFF_MAY_NOT for label in [*ADMIN_OBJECTS, *ADMIN_EMPTY]},
}


# --- the rows of the seed, and the few the bench makes ------------------------------------


class SeedMissing(Exception):
    """The database lacks a row the pages need."""


def find_seed() -> Seed:
    """Real rows of Kota Bontang in the national seed, chosen so that every persona's page
    has something to show: a verified cadre who is a member of their kelurahan's forum,
    holds a seat in a published training and attended a finished one; the forum officers of
    that kelurahan and of the training's kecamatan; the coordinator of the kota and Dinas
    staff of the province."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from cadres.models import Body, CadreProfile, Field, Forum, ForumMember, Topic
    from forkom.accounts.models import Role, RoleAssignment
    from forkom.territory.models import Region
    from programs.models import Innovation, Proposal
    from trainings.models import Registration, Training

    assignments = RoleAssignment.objects.current().filter(user__is_active=True)

    def holder(role: str, code: str) -> Any:
        found = assignments.filter(role=role, region_id=code).select_related("user").first()
        if found is None:
            raise SeedMissing(f"nobody holds {role} at {code}: is the database seeded?")
        return found

    seats = Registration.objects.filter(profile=OuterRef("pk"))
    officers = assignments.filter(role=Role.FORUM_OFFICER)
    profile = (
        CadreProfile.objects.filter(
            kelurahan__code__startswith=PILOT_KOTA + ".",
            status=CadreProfile.Status.VERIFIED,
            user__is_active=True,
        )
        .filter(
            Exists(officers.filter(region_id=OuterRef("kelurahan_id"))),
            Exists(
                seats.filter(attended=True, training__state=Training.State.FINISHED).exclude(
                    certificate_code=""
                )
            ),
            Exists(
                seats.filter(
                    status=Registration.Status.REGISTERED,
                    attended=False,
                    training__state=Training.State.PUBLISHED,
                )
            ),
        )
        # Preferred, not required: a member of the forum (invited to its meeting), with a
        # draft proposal (its edit form).
        .annotate(
            member=Exists(
                ForumMember.objects.filter(
                    profile=OuterRef("pk"), forum__region_id=OuterRef("kelurahan_id")
                )
            ),
            drafting=Exists(
                Proposal.objects.filter(proposer=OuterRef("pk"), state=Proposal.State.DRAFT)
            ),
        )
        .exclude(Exists(officers.filter(user=OuterRef("user"))))
        .select_related("user")
        .order_by("-member", "-drafting", "pk")
        .first()
    )
    if profile is None:
        raise SeedMissing(f"no cadre of {PILOT_KOTA} fits the personas: is the database seeded?")
    seat = (
        Registration.objects.filter(
            profile=profile,
            status=Registration.Status.REGISTERED,
            attended=False,
            training__state=Training.State.PUBLISHED,
        )
        .select_related("training")
        .order_by("training__venue_kecamatan_id", "pk")
        .first()
    )
    assert seat is not None
    training = seat.training
    attended = (
        Registration.objects.filter(
            profile=profile, attended=True, training__state=Training.State.FINISHED
        )
        .exclude(certificate_code="")
        .select_related("training")
        .order_by("pk")
        .first()
    )
    assert attended is not None
    kelurahan, kecamatan = profile.kelurahan_id, training.venue_kecamatan_id
    coordinator = holder(Role.CITY_COORDINATOR, PILOT_KOTA)
    innovation = (
        Innovation.objects.filter(
            kelurahan__code__startswith=PILOT_KOTA + ".", state=Innovation.State.PUBLISHED
        )
        .order_by("pk")
        .first()
    )
    proposal = (
        Proposal.objects.filter(
            location__code__startswith=PILOT_KOTA + ".", state=Proposal.State.RECOMMENDED
        )
        .order_by("pk")
        .first()
    )
    if innovation is None or proposal is None:
        raise SeedMissing(f"no published innovation or recommended proposal in {PILOT_KOTA}")
    forum = Forum.objects.get(region_id=kelurahan)
    return Seed(
        users={
            ANONYMOUS: None,
            CADRE: profile.user,
            KELURAHAN_OFFICER: holder(Role.FORUM_OFFICER, kelurahan).user,
            KECAMATAN_OFFICER: holder(Role.FORUM_OFFICER, kecamatan).user,
            COORDINATOR: coordinator.user,
            STAFF: holder(Role.DINAS_STAFF, PILOT_PROVINCE).user,
        },
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        profile=profile,
        proposal=proposal,
        training=training,
        certificate_code=attended.certificate_code,
        innovation=innovation,
        forum=forum,
        forum_member=ForumMember.objects.filter(forum=forum, profile=profile).first(),
        role_assignment=coordinator,
        body=Body.objects.order_by("pk").first(),
        field_of_work=Field.objects.order_by("pk").first(),
        topic=Topic.objects.order_by("pk").first(),
        extras={
            "finished": attended.training,
            "draft": Proposal.objects.filter(proposer=profile, state=Proposal.State.DRAFT)
            .order_by("pk")
            .first(),
            "kelurahan_region": Region.objects.get(code=kelurahan),
            "profile_type": ContentType.objects.get_for_model(CadreProfile).pk,
        },
    )


# Rows written as a side effect of making the extras (invitations' emails and notifications,
# the delivery task): found by their keys appearing while the extras are made.
# The notifications make_extras writes into the cadre's inbox: a full first page (25).
INBOX_FILL = 25
SIDE_EFFECT_MODELS = (
    "outbox.OutgoingEmail",
    "notifications.Notification",
    "django_tasks_database.DBTaskResult",
)


def make_extras(seed: Seed) -> None:
    """What the seed lacks and the pages need, made through the services: a published
    announcement to the cadre's kelurahan and a draft one, a full first page of the cadre's
    inbox (INBOX_FILL notifications of that announcement: the seed's cadre has a few), the
    cadre's draft proposal when they have none, a meeting of the kelurahan's
    forum held two days ago with its minutes published, and a second factor for the staff
    persona (the admin requires one). `remove_extras` deletes them all."""
    from datetime import timedelta

    from allauth.mfa.totp.internal.auth import TOTP
    from django.apps import apps
    from django.utils import timezone

    from cadres.announcements import services as announcement_services
    from cadres.meetings import services as meeting_services
    from forkom.notifications import services as notification_services
    from programs import services as program_services
    from programs.models import AidKind

    before = {
        label: set(apps.get_model(label)._default_manager.values_list("pk", flat=True))
        for label in SIDE_EFFECT_MODELS
    }
    coordinator, officer = seed.users[COORDINATOR], seed.users[KELURAHAN_OFFICER]
    region = seed.extras["kelurahan_region"]
    seed.announcement = announcement_services.publish(
        actor=coordinator,
        announcement=announcement_services.create_draft(
            actor=coordinator,
            region=region,
            title="Bench: pengumuman",
            text="Rapat koordinasi kader.",
            audience="public",
        ),
    )
    for number in range(INBOX_FILL):
        notification_services.tell(
            [seed.users[CADRE]],
            kind=announcement_services.KIND,
            template="cadres/email/announcement",
            context={"announcement": seed.announcement},
            url=seed.announcement.get_absolute_url(),
            key=f"bench-inbox-{seed.announcement.public_id}-{number}",
        )
    if seed.extras["draft"] is None:
        seed.extras["draft"] = program_services.create_draft(
            actor=seed.users[CADRE],
            title="Bench: usulan",
            summary="Draf.",
            problem="-",
            needs="-",
            resources="",
            goals="-",
            activities="-",
            target_group="Kader",
            beneficiaries=10,
            location=region,
            field=None,
            starts_on=timezone.localdate() + timedelta(days=60),
            ends_on=timezone.localdate() + timedelta(days=90),
            budget=1_000_000,
            aids=[(AidKind.TRAINING, 1_000_000, "")],
        )
        seed.extras["made_draft"] = True
    seed.extras["draft_announcement"] = announcement_services.create_draft(
        actor=coordinator, region=region, title="Bench: draf", text="Draf.", audience="public"
    )
    started = timezone.now() - timedelta(days=2)
    meeting = meeting_services.schedule_meeting(
        actor=officer,
        region=region,
        title="Bench: rapat forum",
        agenda="Laporan",
        place="Aula kelurahan",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        invitee_ids=[officer.pk, seed.users[CADRE].pk],
    )
    invitation = meeting.invitations.get(user=seed.users[CADRE])
    meeting_services.record_minutes(
        actor=officer,
        meeting=meeting,
        attended_ids=[invitation.pk],
        minutes="Notulen rapat.",
        decisions="",
        follow_ups=[meeting_services.FollowUpLine("RAB", invitation.pk, started.date())],
    )
    seed.meeting = meeting_services.publish_minutes(actor=officer, meeting=meeting)
    staff = seed.users[STAFF]
    existing = staff.authenticator_set.filter(type="totp").first()
    if existing is None:
        seed.authenticator = TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").instance
        seed.extras["made_authenticator"] = True
    else:
        seed.authenticator = existing
    seed.extras["side_effects"] = {
        label: set(apps.get_model(label)._default_manager.values_list("pk", flat=True))
        - before[label]
        for label in SIDE_EFFECT_MODELS
    }


def remove_extras(seed: Seed) -> None:
    from django.apps import apps

    for label, keys in seed.extras.get("side_effects", {}).items():
        apps.get_model(label)._default_manager.filter(pk__in=keys).delete()
    made = [seed.meeting, seed.announcement, seed.extras.get("draft_announcement")]
    if seed.extras.get("made_draft"):
        made.append(seed.extras["draft"])
    for row in made:
        if row is not None and row.pk is not None:
            row.delete()
    if seed.extras.get("made_authenticator") and seed.authenticator is not None:
        seed.authenticator.delete()
