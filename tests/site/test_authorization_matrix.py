"""One authorization matrix for the whole site and the admin (issue 12).

Three worlds are built through the project's own services: Kota Bontang and Kota Samarinda
in Kalimantan Timur, and Kabupaten Bulungan in Kalimantan Utara. Each holds the same things:
officers, a coordinator, Dinas staff, verified, waiting and assisted cadres, a NIK under
review, a forum, a submitted proposal with an attachment, an innovation with a photo, a
training with a sign-up, a prepared download, an invitation and the emails all this sent.

Then every persona of Bontang (and the Dinas staff of Kalimantan Timur) asks for every page
of every object of the worlds outside its region:

- every URL pattern of the site, GET and POST: a 404, or the sign-in page for a visitor;
  a pattern the matrix does not know fails `test_every_route_is_in_the_matrix`;
- every list, count and export of the site: nothing of those worlds' people or private work;
- every admin page of every registered model (changelist, change, delete, history, the
  account password form, view on site, every action, every autocomplete): the foreign rows
  are never listed, and asking for one answers exactly as for a row that does not exist;
- and after all of it, no row of any table changed and none was added.

The worlds are built in tests/site/worlds.py. The proposals' own matrix (every move from
every state by every persona) stays in tests/programs/test_matrix.py; this one covers the
routes around it.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cadres.models import CadreProfile
from forkom.accounts import services as account_services
from forkom.accounts.models import Role, User
from forkom.territory.models import Region
from tests.conftest import make_user, streamed
from tests.site.worlds import (
    PERSONA_REGIONS,
    covers,
    foreign_worlds,
    persona_user,
    tracked_models,
    with_totp,
)

# --- The site's routes ------------------------------------------------------------------------

# Pages about one object or region, with the object of a world to ask for.
OBJECT_ROUTES = {
    "territory:region": lambda w: {"code": w.kelurahan},
    "cadres:prepared_download": lambda w: {"public_id": w.export_job.public_id},
    "cadres:detail": lambda w: {"public_id": w.profile.public_id},
    "cadres:verify": lambda w: {"public_id": w.waiting.public_id},
    "cadres:reject": lambda w: {"public_id": w.waiting.public_id},
    "cadres:claim_email": lambda w: {"public_id": w.assisted.public_id},
    "cadres:issue_code": lambda w: {"public_id": w.assisted.public_id},
    "cadres:import_detail": lambda w: {"public_id": w.cadre_import.public_id},
    "cadres:import_confirm": lambda w: {"public_id": w.cadre_import.public_id},
    "cadres:import_map": lambda w: {"public_id": w.cadre_import.public_id},
    "cadres:import_rejected": lambda w: {"public_id": w.cadre_import.public_id},
    "announcements:detail": lambda w: {"public_id": w.announcement.public_id},
    "announcements:edit": lambda w: {"public_id": w.announcement.public_id},
    "announcements:publish": lambda w: {"public_id": w.announcement.public_id},
    "announcements:withdraw": lambda w: {"public_id": w.announcement.public_id},
    "announcements:feed": lambda w: {"code": w.kelurahan},
    "meetings:detail": lambda w: {"public_id": w.meeting.public_id},
    "meetings:answer": lambda w: {"public_id": w.meeting.public_id},
    "meetings:minutes": lambda w: {"public_id": w.meeting.public_id},
    "meetings:publish_minutes": lambda w: {"public_id": w.meeting.public_id},
    "meetings:complete_follow_up": lambda w: {
        "public_id": w.meeting.public_id,
        "follow_up_id": w.follow_up.pk,
    },
    "meetings:ics": lambda w: {"public_id": w.meeting.public_id},
    "meetings:sheet": lambda w: {"public_id": w.meeting.public_id},
    "meetings:pdf": lambda w: {"public_id": w.meeting.public_id},
    "forums:detail": lambda w: {"code": w.kelurahan},
    "forums:manage": lambda w: {"code": w.kelurahan},
    "forums:record_sk": lambda w: {"code": w.kelurahan},
    "forums:appoint": lambda w: {"code": w.kelurahan},
    "forums:end_term": lambda w: {"code": w.kelurahan},
    "forums:add_member": lambda w: {"code": w.kelurahan},
    "forums:remove_member": lambda w: {"code": w.kelurahan},
    "trainings:detail": lambda w: {"pk": w.training.pk},
    "trainings:register": lambda w: {"pk": w.training.pk},
    "trainings:cancel": lambda w: {"pk": w.training.pk},
    "trainings:ics": lambda w: {"pk": w.training.pk},
    "trainings:certificate": lambda w: {"pk": w.training.pk},
    "trainings:participants": lambda w: {"pk": w.training.pk},
    "trainings:export_csv": lambda w: {"pk": w.training.pk},
    "trainings:export_xlsx": lambda w: {"pk": w.training.pk},
    "trainings:attendance": lambda w: {"pk": w.training.pk},
    "trainings:capacity": lambda w: {"pk": w.training.pk},
    "trainings:sheet": lambda w: {"pk": w.training.pk},
    "trainings:publish": lambda w: {"pk": w.training.pk},
    "trainings:cancel_training": lambda w: {"pk": w.training.pk},
    "trainings:finish": lambda w: {"pk": w.training.pk},
    "trainings:check_in": lambda w: {"pk": w.training.pk},
    "trainings:checkin_qr": lambda w: {"pk": w.training.pk},
    "programs:innovation": lambda w: {"public_id": w.innovation.public_id},
    "programs:innovation_publish": lambda w: {"public_id": w.innovation.public_id},
    "programs:innovation_channel": lambda w: {"public_id": w.innovation.public_id},
    "programs:innovation_photo_add": lambda w: {"public_id": w.innovation.public_id},
    "programs:innovation_photo": lambda w: {
        "public_id": w.innovation.public_id,
        "photo_id": w.photo.public_id,
    },
    "programs:innovation_photo_remove": lambda w: {
        "public_id": w.innovation.public_id,
        "photo_id": w.photo.public_id,
    },
    "programs:detail": lambda w: {"public_id": w.proposal.public_id},
    "programs:edit": lambda w: {"public_id": w.proposal.public_id},
    "programs:show_name": lambda w: {"public_id": w.proposal.public_id},
    "programs:transition": lambda w: {"public_id": w.proposal.public_id},
    "programs:comment": lambda w: {"public_id": w.proposal.public_id},
    "programs:attach": lambda w: {"public_id": w.proposal.public_id},
    "programs:attachment": lambda w: {
        "public_id": w.proposal.public_id,
        "attachment_id": w.attachment.public_id,
    },
    "programs:detach": lambda w: {
        "public_id": w.proposal.public_id,
        "attachment_id": w.attachment.public_id,
    },
    "dashboard:city": lambda w: {"code": w.kota},
    "dashboard:city_export": lambda w: {"code": w.kota, "format": "xlsx"},
    "dashboard:city_kecamatan": lambda w: {"code": w.kota, "kecamatan_code": w.kecamatan},
    "dashboard:city_kecamatan_export": lambda w: {
        "code": w.kota,
        "kecamatan_code": w.kecamatan,
        "format": "csv",
    },
    "dashboard:province": lambda w: {"code": w.province},
    "dashboard:province_export": lambda w: {"code": w.province, "format": "csv"},
    "dashboard:decide": lambda w: {"public_id": w.proposal.public_id},
}
# Of those, the public ones: every visitor may read them, wherever they live (DESIGN.md: the
# territory, the forums and the training catalogue are public; an innovation is shown once
# an officer published it, and a calendar file carries only what the public page shows).
PUBLIC_READS = {
    "territory:region",
    "forums:detail",
    "trainings:detail",
    "trainings:ics",
    "announcements:feed",  # public announcements only (tests/cadres/test_announcements.py)
}
# Signing up is open to any cadre of any region (README: what an organiser sees of outside
# participants); it is asked only of visitors here, who are sent to sign in.
OPEN_TO_ALL_CADRES = {"trainings:register"}
# The viewer's own place in a public training: with none there, a 4xx that says so reveals
# nothing the public page does not show.
OWN_PLACE_IN_PUBLIC = {"trainings:cancel", "trainings:certificate", "trainings:checkin_qr"}
# Objects whose region is not the world's kota (the province dashboard asks for the
# province): the persona must not stand over it for the request to be foreign.
ROUTE_REGION = {
    "dashboard:province": lambda w: w.province,
    "dashboard:province_export": lambda w: w.province,
}

# Pages without an object: lists, counts and exports of what the viewer may see. None may
# show a foreign world's people or private work.
LIST_ROUTES = {
    "home": {},
    "privacy": {},
    "territory:index": {},
    "cadres:mine": {},
    "cadres:my_data": {},
    "cadres:download": {},
    "cadres:my_data_page": {},
    "cadres:my_data_pdf": {},
    "cadres:edit": {},
    "cadres:list": {},
    "cadres:export": {"format": "csv"},
    "cadres:prepared_downloads": {},
    "cadres:import": {},
    "forums:directory": {},
    "announcements:list": {},
    "meetings:list": {},
    "trainings:list": {},
    "trainings:manage": {},
    "trainings:mine": {},
    "programs:mine": {},
    "programs:waiting": {},
    "programs:list": {},
    "programs:export": {"kind": "csv"},
    "programs:gallery": {},
    "programs:public": {},
    "dashboard:home": {},
}
# Routes that hold nothing of anyone else, with the reason.
EXCLUDED = {
    "livez": "a liveness probe: reads no row",
    "healthz": "a readiness probe: the database, the cache and the queue's length, no row",
    "manifest": "the web app manifest: the portal's name and colours",
    "icon": "the portal's icon, drawn on the server",
    "favicon": "sends the browser to the portal's icon, the same for every visitor",
    "og_image": "the link-preview picture, the same for every page",
    "cadres:consent": "the viewer's own consent form",
    "cadres:import_template": "an empty sheet with the column names and a made-up example",
    "cadres:register": "the viewer's own registration form",
    "cadres:sign_in_with_code": "the sign-in form; a code opens only the account it was "
    "issued for (tests/cadres/test_activation.py)",
    "cadres:register_assisted": "a form; the kelurahan it accepts is checked in "
    "tests/cadres/test_assisted.py",
    "cadres:withdraw_consent": "the viewer's own consent",
    "cadres:request_deletion": "the viewer's own data",
    "programs:create": "a new draft of the viewer's own; the kelurahan is checked in "
    "tests/programs/test_views.py",
    "programs:innovation_record": "a new record of the viewer's own",
    "meetings:schedule": "a new meeting of a forum the viewer calls; who calls where is "
    "checked in tests/cadres/test_meetings.py",
    "announcements:write": "a new draft of the viewer's own; the regions it may address are "
    "checked in tests/cadres/test_announcements.py",
    "certificates:verify": "public by design: the code printed on a certificate is its key",
    "certificates:lookup": "the public form to type a certificate's code",
    "accounts:invitation": "reached by a secret token, which only its addressee holds "
    "(tests/accounts/test_takeover.py)",
    "set_language": "a preference in the viewer's own session",
    "notifications:inbox": "the viewer's own notifications (tests/notifications/)",
    "notifications:open": "the viewer's own notification; another's is a 404 "
    "(tests/notifications/test_inbox.py)",
    "notifications:mark_all_read": "the viewer's own notifications",
    "notifications:preferences": "the viewer's own choices",
}
# allauth's and the second factor's pages act on the signed-in account only.
EXCLUDED_PREFIXES = ("account_", "mfa_")


def site_routes():
    """(name, pattern) of every URL of the site outside the admin."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or None
                full = ":".join(filter(None, [namespace, inner])) or None
                if full and full.split(":")[0] == "admin":
                    continue
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    known = set(OBJECT_ROUTES) | set(LIST_ROUTES) | set(EXCLUDED)
    routes = {name for name in site_routes() if not name.startswith(EXCLUDED_PREFIXES)}
    assert routes - known == set(), "a new page: add it to the matrix (or EXCLUDED, why)"
    assert known - routes == set(), "a page is gone: remove it from the matrix"


def refused(response, persona, name=""):
    if name in OWN_PLACE_IN_PUBLIC and 400 <= response.status_code < 500:
        return True
    # A POST-only route answers a GET with 405 before it looks anything up: that tells nothing.
    if response.status_code == 405 and response.request["REQUEST_METHOD"] == "GET":
        return True
    if persona == "anonymous" and response.status_code == 302:
        return response["Location"].startswith(reverse("account_login"))
    return response.status_code == 404


def snapshot():
    """Every row of every table, except the sessions that signing in writes."""
    skip = {"sessions.session"}
    return {
        model._meta.label_lower: sorted(
            model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in tracked_models()
        if model._meta.label_lower not in skip
    }


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


@pytest.mark.parametrize("persona", list(PERSONA_REGIONS))
def test_no_page_of_the_site_opens_an_object_of_another_region(client, worlds, persona):
    user = persona_user(worlds, persona)
    if user is not None:
        client.force_login(user)
    region = PERSONA_REGIONS[persona]
    before = snapshot()
    failures, requests, started = [], 0, time.monotonic()
    for world in [w for key, w in worlds.items() if key != "bontang"]:
        for name, kwargs_of in OBJECT_ROUTES.items():
            where = ROUTE_REGION.get(name, lambda w: w.kota)(world)
            if region is not None and covers(region, where):
                continue
            url = reverse(name, kwargs=kwargs_of(world))
            methods = ["get", "post"]
            if name in PUBLIC_READS or (name in OPEN_TO_ALL_CADRES and persona != "anonymous"):
                methods = []
            for method in methods:
                data = {"token": str(uuid.uuid4()), "note": "x", "action": "accept"}
                response = getattr(client, method)(url, data if method == "post" else None)
                requests += 1
                if not refused(response, persona, name):
                    failures.append((method.upper(), url, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    assert changed_tables(before, snapshot()) == []
    print(f"\n{persona}: {requests} requests in {time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("persona", list(PERSONA_REGIONS))
def test_no_list_count_or_export_holds_another_regions_people(client, worlds, persona):
    user = persona_user(worlds, persona)
    if user is not None:
        client.force_login(user)
    markers = [m for world in foreign_worlds(worlds, persona) for m in world.markers]
    own = worlds["bontang"].markers
    leaks, seen_own = [], set()
    for name, kwargs in LIST_ROUTES.items():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (200, 302, 403, 404), (name, response.status_code)
        body = streamed(response) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        leaks += [(name, marker) for marker in markers if marker in text]
        seen_own |= {name for marker in own if marker in text}
    assert leaks == []
    # The lists are not empty by accident: each persona who keeps a list sees Bontang in it.
    expected_own = {
        "cadre": {"cadres:mine", "programs:mine"},
        "kecamatan_officer": {"cadres:list", "cadres:export", "programs:waiting"},
        "coordinator": {"cadres:list", "cadres:export", "programs:list", "programs:export"},
        "kota_staff": {"cadres:list", "cadres:export", "programs:list"},
        "province_staff": {"cadres:list", "cadres:export", "programs:list"},
    }.get(persona, set())
    assert expected_own <= seen_own, expected_own - seen_own


@pytest.mark.parametrize("persona", ["coordinator", "kota_staff", "province_staff"])
def test_objects_of_the_own_region_do_open(client, worlds, persona):
    """The other side of the 404s: the same pages open for the region's own objects, so the
    matrix above cannot pass because every page is broken."""
    client.force_login(persona_user(worlds, persona))
    bontang = worlds["bontang"]
    names = ["cadres:detail", "programs:detail", "forums:manage", "dashboard:city"]
    if persona != "coordinator":  # trainings are organised by officers and staff
        names.append("trainings:participants")
    for name in names:
        response = client.get(reverse(name, kwargs=OBJECT_ROUTES[name](bontang)))
        assert response.status_code == 200, name


# --- The admin ---------------------------------------------------------------------------------

# Models whose rows are the same for everyone: the territory and the staff-kept lists.
GLOBAL_ADMIN_MODELS = {
    "territory.region": "the territory is public",
    "cadres.body": "a staff-kept list shared by every region",
    "cadres.field": "a staff-kept list shared by every region",
    "cadres.topic": "a staff-kept list shared by every region",
}
# Models only superusers open: Dinas staff are refused the whole page.
SUPERUSER_ADMIN_MODELS = {
    "auth.group": "permission groups",
    "django_tasks_database.dbtaskresult": "the worker's queue: task arguments and errors",
}
# Models whose rows staff see from everywhere, but only fields that say nothing of anyone:
# the state of each email (waiting, sent, failed), to notice a mail server that refuses.
REDACTED_ADMIN_MODELS = {
    "outbox.outgoingemail": "status, attempts and times only; recipients, subjects and text "
    "are for superusers",
}
ADMIN_PERSONAS = ["kota_staff", "province_staff"]


def admin_url(model, view, *args):
    if (model, view) == (User, "password_change"):  # Django names it after auth.User
        return reverse("admin:auth_user_password_change", args=args)
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def missing_pk(model):
    field = model._meta.pk
    if isinstance(field, (models.CharField, models.TextField)):
        return "99.99.99.9999"
    if isinstance(field, models.UUIDField):
        return str(uuid.uuid4())
    return 2_000_000_000


def same_answer(response, baseline):
    """Asking for a foreign row answers as for a missing one: same status, same redirect."""
    if response.status_code != baseline.status_code:
        return False
    return response.get("Location") == baseline.get("Location")


@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
def test_the_admin_shows_and_opens_no_row_of_another_region(client, worlds, persona):
    user = persona_user(worlds, persona)
    client.force_login(user)
    foreign = foreign_worlds(worlds, persona)
    before = snapshot()
    failures, uncovered, requests, started = [], [], 0, time.monotonic()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        foreign_pks = {pk for world in foreign for pk in world.rows.get(model, ())}
        if label in GLOBAL_ADMIN_MODELS:
            continue
        if label in SUPERUSER_ADMIN_MODELS:
            response = client.get(admin_url(model, "changelist"))
            requests += 1
            if response.status_code != 403:
                failures.append((label, "superusers only", response.status_code))
            continue
        if label in REDACTED_ADMIN_MODELS:
            markers = [m for world in foreign for m in world.markers]
            urls = [admin_url(model, "changelist")]
            urls += [admin_url(model, "change", pk) for pk in sorted(foreign_pks)]
            for url in urls:
                text = client.get(url).content.decode()
                requests += 1
                failures += [(label, url, m) for m in markers if m.lower() in text.lower()]
            continue
        if not foreign_pks:
            uncovered.append(label)
            continue
        # The changelist, all of it (not only its first page).
        response = client.get(admin_url(model, "changelist"))
        requests += 1
        if response.status_code == 200:
            listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
            if listed & foreign_pks:
                failures.append((label, "changelist", sorted(listed & foreign_pks)[:3]))
        elif response.status_code != 403:
            failures.append((label, "changelist", response.status_code))

        missing = missing_pk(model)
        views = ["change", "delete", "history"]
        if model is User:
            views.append("password_change")
        content_type = ContentType.objects.get_for_model(model)
        for view in views:
            baseline_get = client.get(admin_url(model, view, missing))
            baseline_post = client.post(admin_url(model, view, missing), {"post": "yes"})
            requests += 2
            for pk in sorted(foreign_pks, key=str)[:3]:
                url = admin_url(model, view, pk)
                get, post = client.get(url), client.post(url, {"post": "yes", "password1": "x"})
                requests += 2
                if not same_answer(get, baseline_get) or get.status_code == 200:
                    failures.append((label, view, "GET", pk, get.status_code))
                if not same_answer(post, baseline_post) or post.status_code == 200:
                    failures.append((label, view, "POST", pk, post.status_code))
        for pk in sorted(foreign_pks, key=str)[:3]:
            response = client.get(reverse("admin:view_on_site", args=[content_type.pk, pk]))
            requests += 1
            if response.status_code != 404:
                failures.append((label, "view_on_site", pk, response.status_code))

        # Every action, posted with the foreign rows selected.
        for action in admin_actions(model_admin, user):
            response = client.post(
                admin_url(model, "changelist"),
                {"action": action, "_selected_action": sorted(foreign_pks, key=str)[:3],
                 "post": "yes", "index": 0},
            )  # fmt: skip
            requests += 1
            if response.status_code >= 500:
                failures.append((label, "action", action, response.status_code))

        # Every autocomplete that points at this model.
        for source_model, source_admin in admin.site._registry.items():
            for field_name in source_admin.get_autocomplete_fields(None):
                field = source_model._meta.get_field(field_name)
                if field.remote_field.model is not model:
                    continue
                response = client.get(
                    reverse("admin:autocomplete"),
                    {
                        "app_label": source_model._meta.app_label,
                        "model_name": source_model._meta.model_name,
                        "field_name": field_name,
                        "term": "",
                    },
                )
                requests += 1
                if response.status_code == 200:
                    ids = {str(row["id"]) for row in response.json()["results"]}
                    more = response.json()["pagination"]["more"]
                    if ids & {str(pk) for pk in foreign_pks} or more:
                        failures.append((label, "autocomplete", source_model._meta.label_lower))
                elif response.status_code != 403:
                    failures.append((label, "autocomplete", response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    assert uncovered == [], f"no foreign row of {uncovered} in the worlds: extend World"
    assert changed_tables(before, snapshot()) == []
    print(f"\n{persona}: {requests} admin requests in {time.monotonic() - started:.1f} s")


def admin_actions(model_admin, user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return [name for name in model_admin.get_actions(request) if name]


@pytest.mark.parametrize("persona", ["cadre", "kecamatan_officer", "coordinator"])
def test_people_without_a_dinas_role_have_no_admin(client, worlds, persona):
    client.force_login(persona_user(worlds, persona))
    world = worlds["bontang"]
    for url in [
        reverse("admin:index"),
        admin_url(CadreProfile, "changelist"),
        admin_url(CadreProfile, "change", world.profile.pk),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_future_role_gives_nothing_before_it_starts(client, worlds):
    """A Dinas role dated to start next week opens no admin today."""
    newcomer = make_user("calon@bontang.test")
    account_services.grant_role(
        actor=None,
        user=newcomer,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.74"),
        starts_on=timezone.localdate() + timedelta(days=7),
    )
    newcomer.refresh_from_db()
    assert not newcomer.is_staff
    client.force_login(with_totp(newcomer))
    assert client.get(admin_url(CadreProfile, "changelist")).status_code == 302
