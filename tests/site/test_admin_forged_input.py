"""Forged values in the admin's own forms (selected rows, editable lists, choices, filters)
are refused or find nothing: never a server error, never a change."""

import pytest

from cadres.models import Body, CadreProfile
from forkom.accounts.models import Role
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile

BEYOND_64_BITS = str(2**63)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(with_totp(staff))
    return client


def test_an_integer_beyond_a_column_is_in_no_list_of_ids(bontang):
    profile = make_profile()
    assert not CadreProfile.objects.filter(pk__in=[2**63, -(2**63) - 1]).exists()
    assert list(CadreProfile.objects.filter(pk__in=[2**63, profile.pk])) == [profile]


@pytest.mark.parametrize("selected", ["x", "", BEYOND_64_BITS, "-1"])
def test_a_forged_selection_for_an_action_changes_nothing(admin_client, selected):
    profile = make_profile()
    response = admin_client.post(
        "/admin/cadres/cadreprofile/",
        {"action": "verify", "index": "0", "_selected_action": [selected]},
    )
    assert response.status_code == 302
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.WAITING


def test_a_forged_row_of_an_editable_list_is_refused(admin_client):
    body = Body.objects.order_by("pk").first()
    response = admin_client.post(
        "/admin/cadres/body/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": BEYOND_64_BITS,
            "form-0-sort_order": "1",
            "form-0-is_active": "on",
            "_save": "Simpan",
        },
    )
    assert response.status_code == 400  # a refused form, as on a change page
    assert "errornote" in response.text
    assert Body.objects.get(pk=body.pk).sort_order == body.sort_order


@pytest.mark.parametrize("topic", [BEYOND_64_BITS, "-1", "x"])
def test_a_forged_many_to_many_choice_is_an_invalid_choice(admin_client, topic):
    response = admin_client.post("/admin/trainings/training/add/", {"topics": [topic]})
    assert response.status_code == 400
    assert "errornote" in response.text


@pytest.mark.parametrize("level", ["x", BEYOND_64_BITS, "9"])
def test_a_forum_level_the_filter_does_not_offer_filters_nothing(admin_client, level):
    assert admin_client.get("/admin/cadres/forum/", {"level": level}).status_code == 200


@pytest.mark.parametrize("user", ["x", "", BEYOND_64_BITS])
def test_a_forged_choice_of_an_autocomplete_field_is_an_invalid_choice(admin_client, user):
    response = admin_client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": user, "role": Role.DINAS_STAFF, "region": "64.74"},
    )
    assert response.status_code == 400
    assert "errornote" in response.text
