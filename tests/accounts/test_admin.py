import base64
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from cadres.models import Field
from forkom import admin as forkom_admin
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.accounts.services import grant_role, invite_to_role
from forkom.errors import DomainError
from forkom.territory.models import Region
from tests.cadres.factories import make_profile
from tests.conftest import PASSWORD, make_persona, make_user

# The authenticator app's secret of every test's staff member: a browser test types its code.
TOTP_SECRET = base64.b32encode(b"forkom-test-secret!!").decode()


def with_totp(user):
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dinas_staff_must_turn_on_two_factor_before_the_admin(client, staff):
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain


def test_dinas_staff_with_two_factor_reach_the_admin(client, staff):
    client.force_login(with_totp(staff))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"territory/region" in response.content


def test_a_cadre_has_no_way_into_the_admin(client, cadre):
    client.force_login(with_totp(cadre))
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert client.get("/admin/territory/region/").status_code == 302


def test_staff_of_a_kota_see_only_role_assignments_of_their_kota(client, bontang, outsider):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    other_kota_user = make_user()
    RoleAssignment.objects.create(user=other_kota_user, role=Role.CADRE, region_id="64.74.02.1001")
    client.force_login(city_staff)
    response = client.get("/admin/accounts/roleassignment/")
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("region_id", flat=True))
    assert shown == {"64.74", "64.74.01.1001", "64.74.02.1001"}


def test_region_admin_finds_a_subtree_by_code_and_a_region_by_name(client, staff):
    client.force_login(with_totp(staff))
    response = client.get("/admin/territory/region/", {"q": "64.74.02"})
    codes = {region.code for region in response.context["cl"].result_list}
    assert codes == {"64.74.02", *{f"64.74.02.100{n}" for n in range(1, 7)}}
    response = client.get("/admin/territory/region/", {"q": "Kanaan"})
    assert [region.code for region in response.context["cl"].result_list] == ["64.74.03.1003"]


def test_staff_grant_a_role_through_the_admin_form_within_their_region(client, bontang):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    newcomer = make_persona(Role.CADRE, "64.74.03.1001", email="baru@contoh.id")
    client.force_login(city_staff)
    form = {
        "user": newcomer.pk,
        "role": Role.CITY_COORDINATOR,
        "region": "64.74",
        "starts_on": "2026-11-01",
        "ends_on": "",
    }
    response = client.post("/admin/accounts/roleassignment/add/", form)
    assert response.status_code == 302
    granted = RoleAssignment.objects.get(user=newcomer, role=Role.CITY_COORDINATOR)
    assert granted.granted_by == city_staff

    form.update(region="64", role=Role.DINAS_STAFF)
    response = client.post("/admin/accounts/roleassignment/add/", form)
    assert response.status_code == 400
    assert response.context["adminform"].form.errors
    assert RoleAssignment.objects.filter(user=newcomer).count() == 2

    # A role that ends before it starts is refused in words, not by the constraint's name
    # ("Batasan “roleassignment_ends_after_start” dilanggar", found by a walk through the
    # demo site).
    form.update(region="64.74.03", role=Role.DINAS_STAFF, starts_on="2026-12-10")
    form["ends_on"] = "2026-12-01"
    response = client.post("/admin/accounts/roleassignment/add/", form)
    assert response.status_code == 400
    assert "Peran berakhir pada atau setelah hari mulainya." in response.text
    assert "roleassignment_ends_after_start" not in response.text


def test_the_constraints_people_can_meet_in_the_admin_say_what_is_wrong():
    """Django's message for a broken constraint names it: "Constraint
    “roleassignment_ends_after_start” is violated." The models staff edit in the admin say
    what is wrong in words instead."""
    edited = ["accounts.User", "accounts.RoleAssignment", "accounts.RoleInvitation",
              "territory.Region", "cadres.CadreProfile", "cadres.Forum", "cadres.ForumMember",
              "cadres.Meeting"]  # fmt: skip
    named = [
        f"{label}: {constraint.name}"
        for label in edited
        for constraint in apps.get_model(label)._meta.constraints
        if constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert named == []


@pytest.mark.parametrize(
    ("role", "position", "region"),
    [
        (Role.FORUM_OFFICER, Position.KETUA, "64.74.03.1001"),
        (Role.CADRE, "", "64.74.03.1001"),
    ],
)
def test_the_admin_gives_no_role_that_has_a_flow_of_its_own(
    client, bontang, role, position, region
):
    """A ketua is appointed on the forum's page (its rules, its events), a cadre role comes
    with verification: the admin form offers neither, and a forged post is refused."""
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    newcomer = make_user()
    client.force_login(city_staff)
    form = {"user": newcomer.pk, "role": role, "position": position, "region": region}
    response = client.post(
        "/admin/accounts/roleassignment/add/", {**form, "starts_on": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "role" in response.context["adminform"].form.errors
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    offered = dict(response.context["adminform"].form.fields["role"].choices)
    assert set(offered) - {""} == {Role.CITY_COORDINATOR, Role.DINAS_STAFF}


def test_the_admin_does_not_end_a_forum_officers_term_behind_the_forums_back(client, bontang):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    ketua = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)
    assignment = RoleAssignment.objects.get(user=ketua)
    client.force_login(city_staff)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/accounts/roleassignment/",
        {"action": "revoke", "_selected_action": [assignment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "terms ended on the forum" in response.text
    assignment.refresh_from_db()
    assert assignment.is_active
    # Nothing revoked is not reported as a success ("0 role(s) revoked.", found by a walk
    # through the demo site).
    assert "revoked" not in response.text


@pytest.fixture
def samarinda(other_kota):
    return other_kota


def listed_emails(client, **query):
    response = client.get("/admin/accounts/user/", query)
    assert response.status_code == 200
    return {user.email for user in response.context["cl"].result_list}


def test_staff_see_the_accounts_of_their_region_and_no_one_elses(client, samarinda):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74", email="staf.bontang@test.id"))
    make_user("root@test.id", is_superuser=True, is_staff=True)
    make_persona(Role.CITY_COORDINATOR, "64.72", email="koordinator.samarinda@test.id")
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator.bontang@test.id")
    make_profile(make_user("siti.bontang@test.id"), kelurahan="64.74.03.1001", full_name="Siti A")
    make_profile(
        make_user("siti.samarinda@test.id"), kelurahan="64.72.01.1001", full_name="Siti B"
    )
    make_user("baru@test.id")
    client.force_login(city_staff)

    assert listed_emails(client) == {
        "siti.bontang@test.id",  # waiting for verification, no role yet
        # Not the staff member themself, not the kota's coordinator (at their level), not
        # "baru", who belongs to no region (superusers only; staff invite).
    }
    assert listed_emails(client, q="siti") == {"siti.bontang@test.id"}


def test_staff_cannot_open_or_reset_a_superusers_account(client, bontang):
    province_staff = with_totp(make_persona(Role.DINAS_STAFF, "64"))
    root = make_user("root@test.id", is_superuser=True, is_staff=True)
    # A superuser who also holds a role in the staff member's region is no less a superuser.
    make_persona(Role.DINAS_STAFF, "64.74", email="root.role@test.id", is_superuser=True)
    client.force_login(province_staff)

    assert "root@test.id" not in listed_emails(client)
    assert "root.role@test.id" not in listed_emails(client)
    response = client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "Ambil-alih-2026!", "password2": "Ambil-alih-2026!"},
    )
    assert response.status_code in {302, 404}
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


@pytest.mark.parametrize("page", ["history", "change", "delete"])
def test_an_admin_page_staff_may_not_open_tells_no_existing_row_from_a_missing_one(
    client, staff, page
):
    """allauth's email addresses give Dinas staff no permission: a row that exists and an id
    that does not get the same answer (the history page used to say 403 for the one and
    "does not exist" for the other)."""
    address = EmailAddress.objects.get(user=staff)
    client.force_login(with_totp(staff))
    existing = client.get(f"/admin/account/emailaddress/{address.pk}/{page}/")
    missing = client.get(f"/admin/account/emailaddress/{address.pk + 1000}/{page}/")
    assert (existing.status_code, existing.get("Location")) == (
        missing.status_code,
        missing.get("Location"),
    )
    assert existing.status_code in (302, 403)
    assert client.get("/admin/account/emailaddress/").status_code == 403


def test_a_granted_role_and_an_invitation_open_as_read_only_records(client, bontang):
    """Both forms narrowed their role field in `__init__`, which the change page (all fields
    read-only) does not have: opening a granted role or a sent invitation was a 500."""
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    cadre = make_persona(Role.CADRE, "64.74.03.1001", email="dicatat@contoh.id")
    # Invited first: once the kota has an active coordinator, another is not invited.
    invitation, _token = invite_to_role(
        actor=city_staff,
        email="diundang@contoh.id",
        role=Role.CITY_COORDINATOR,
        region=Region.objects.get(pk="64.74"),
    )
    assignment = grant_role(
        actor=city_staff,
        user=cadre,
        role=Role.CITY_COORDINATOR,
        region=Region.objects.get(pk="64.74"),
    )
    # A second coordinator is refused to staff when they invite, not later to the invitee
    # who accepts (found by a walk through the demo site).
    with pytest.raises(DomainError, match="sudah memiliki koordinator kota yang aktif"):
        invite_to_role(
            actor=city_staff,
            email="kedua@contoh.id",
            role=Role.CITY_COORDINATOR,
            region=Region.objects.get(pk="64.74"),
        )
    client.force_login(city_staff)
    for url in (
        f"/admin/accounts/roleassignment/{assignment.pk}/change/",
        f"/admin/accounts/roleinvitation/{invitation.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "role" not in response.context["adminform"].form.fields
        assert str(Role.CITY_COORDINATOR.label) in response.content.decode()


def test_the_admin_s_list_of_models_follows_the_permissions_of_each_request(client, staff):
    """The list of models on every admin page is kept per set of permission answers, never
    per user: a permission given or taken away changes it on the next page."""
    groups = f'href="{reverse("admin:auth_group_changelist")}"'
    superuser = make_user("super@test.forkom.id", is_staff=True, is_superuser=True)
    client.force_login(with_totp(superuser))
    assert groups in client.get(reverse("admin:index")).text
    client.force_login(with_totp(staff))
    assert groups not in client.get(reverse("admin:index")).text
    # Other apps' admins are a superuser's (forkom.admin.SuperusersOnly).
    User.objects.filter(pk=staff.pk).update(is_superuser=True)
    assert groups in client.get(reverse("admin:password_change_done")).text
    User.objects.filter(pk=staff.pk).update(is_superuser=False)
    assert groups not in client.get(reverse("admin:password_change_done")).text


def test_the_admin_works_out_who_the_user_is_once_per_request(client, staff):
    """Whether the user is admin staff, and each model admin's permissions, are asked once
    per request (the index wants the model list twice), and afresh on the next request."""
    client.force_login(with_totp(staff))
    client.get(reverse("admin:index"))
    asked = mock.Mock(wraps=forkom_admin.is_admin_user)
    get_model_perms = ModelAdmin.get_model_perms
    perms_asked = []

    def counted(model_admin, request):
        perms_asked.append(model_admin.model)
        return get_model_perms(model_admin, request)

    with (
        mock.patch.object(forkom_admin, "is_admin_user", asked),
        mock.patch.object(ModelAdmin, "get_model_perms", counted),
    ):
        assert client.get(reverse("admin:index")).status_code == 200
        assert asked.call_count == 1
        assert perms_asked
        assert len(perms_asked) == len(set(perms_asked))
        assert client.get(reverse("admin:cadres_body_changelist")).status_code == 200
        assert asked.call_count == 2
    RoleAssignment.objects.filter(user=staff).update(is_active=False)
    assert client.get(reverse("admin:index")).status_code == 302


def sidebar(page):
    """The admin sidebar's HTML on a page."""
    return page.text.split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]


def test_the_admin_sidebar_marks_the_page_s_model_in_the_page_s_language(client, staff):
    """The sidebar's list is rendered once per list, language and current model: every page
    still marks its own model and speaks its own language."""
    client.force_login(with_totp(staff))
    bodies = sidebar(client.get(reverse("admin:cadres_body_changelist")))
    assert '<tr class="model-body current-model">' in bodies
    assert '<tr class="model-field">' in bodies
    fields = sidebar(client.get(reverse("admin:cadres_field_changelist")))
    assert '<tr class="model-field current-model">' in fields
    assert '<tr class="model-body">' in fields
    field = Field.objects.first()
    on_a_row = sidebar(client.get(reverse("admin:cadres_field_change", args=[field.pk])))
    assert '<tr class="model-field current-model">' in on_a_row
    assert "current-model" not in sidebar(client.get(reverse("admin:password_change")))
    for language in ("en", "id"):
        with translation.override(language):
            name = str(capfirst(Field._meta.verbose_name_plural))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("admin:cadres_field_changelist"))
        assert f'aria-current="page">{name}</a>' in sidebar(page)


OTHER_APPS_ADMINS = [
    "admin:auth_group_changelist",
    "admin:account_emailaddress_changelist",
    "admin:mfa_authenticator_changelist",
    "admin:django_tasks_database_dbtaskresult_changelist",
]


@pytest.mark.parametrize("name", OTHER_APPS_ADMINS)
def test_other_apps_admins_are_a_superusers_even_for_staff_given_django_permissions(
    client, staff, name
):
    """Access here comes from roles; Django's own permissions, were someone to give them in
    a shell, open nothing."""
    staff.user_permissions.set(Permission.objects.all())
    client.force_login(with_totp(staff))
    assert client.get(reverse(name)).status_code == 403
    assert f'href="{reverse(name)}"' not in client.get(reverse("admin:index")).text
    superuser = with_totp(make_user("root@test.id", is_superuser=True, is_staff=True))
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200
    assert f'href="{reverse(name)}"' in client.get(reverse("admin:index")).text


def test_staff_s_admin_pages_do_not_read_django_s_permissions(client, staff):
    client.force_login(with_totp(staff))
    for path in ("/admin/", reverse("admin:cadres_cadreprofile_changelist")):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        assert not [query for query in captured if "auth_permission" in query["sql"]]


def test_a_superusers_admin_names_every_section_in_the_sites_language(client, bontang, settings):
    """allauth's second factor read "MFA" and the task queue "Tasks Database Backend"
    among the Indonesian sections (noted in earlier closing notes)."""
    client.force_login(with_totp(make_user("root@test.id", is_superuser=True, is_staff=True)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get("/admin/").text
    assert ">Faktor kedua</a>" in page
    assert ">Tugas latar belakang</a>" in page
    assert "Tasks Database Backend" not in page
    assert ">MFA</a>" not in page
