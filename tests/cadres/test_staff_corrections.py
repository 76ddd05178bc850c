"""Dinas staff correct a cadre's profile in the admin through the service, with its rules."""

from datetime import date

import pytest
from django.urls import reverse

from cadres import services
from cadres.models import Body, CadreEvent, PersonalDataView
from forkom.errors import DomainError
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.conftest import make_user


def admin_post(profile, **changes):
    body = Body.objects.get(name="Posyandu")
    data = {
        "full_name": profile.full_name,
        "sex": profile.sex,
        "birth_place": profile.birth_place,
        "birth_date": profile.birth_date.isoformat(),
        "phone": profile.phone,
        "address": profile.address,
        "education": profile.education,
        "skills": profile.skills,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(profile.memberships.get().pk),
        "memberships-0-profile": str(profile.pk),
        "memberships-0-body": str(body.pk),
        "memberships-0-position": "Kader",
        "memberships-0-since_year": "2019",
    }
    data.update(changes)
    return data


def test_a_correction_in_the_admin_records_what_changed(client, staff):
    profile = make_profile(full_name="Siti Rahmawti")
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    response = client.post(url, admin_post(profile, full_name="Siti Rahmawati"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.full_name == "Siti Rahmawati"
    event = CadreEvent.objects.filter(profile=profile).latest("at", "pk")
    assert event.actor == staff
    assert event.note.endswith(": nama.")  # in the site's language
    assert "Rahmawti" not in event.note  # the parts, never the values


def test_a_birth_date_under_seventeen_is_refused_beside_the_form_and_nothing_changes(
    client, staff
):
    profile = make_profile()
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    events = CadreEvent.objects.count()
    too_young = date(date.today().year - 10, 1, 1).isoformat()  # noqa: DTZ011
    response = client.post(url, admin_post(profile, birth_date=too_young))
    assert response.status_code == 400
    assert response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.birth_date == date(1990, 8, 15)
    assert CadreEvent.objects.count() == events


def test_a_membership_changed_in_the_admin_is_saved_by_the_service(client, bontang):
    """The bodies' inline is a superuser's (staff hold no model permissions)."""
    profile = make_profile()
    superuser = make_user(is_superuser=True, is_staff=True)
    client.force_login(with_totp(superuser))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    response = client.post(url, admin_post(profile, **{"memberships-0-since_year": "2015"}))
    assert response.status_code == 302
    assert list(profile.memberships.values_list("since_year", flat=True)) == [2015]
    assert CadreEvent.objects.filter(profile=profile, actor=superuser).count() == 1


def test_staff_without_the_bodies_inline_leave_the_bodies_as_they_are(client, staff):
    profile = make_profile()
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    response = client.post(url, admin_post(profile, address="Jl. Baru 2"))
    assert response.status_code == 302
    assert list(profile.memberships.values_list("since_year", flat=True)) == [2019]


def test_staff_of_another_region_may_not_correct(staff, make_samarinda_staff):
    profile = make_profile()
    with pytest.raises(DomainError):
        services.correct_profile(
            actor=make_samarinda_staff,
            profile=profile,
            full_name="X",
            sex=profile.sex,
            birth_place="",
            birth_date=profile.birth_date,
            phone=profile.phone,
            address="",
            education=profile.education,
        )


def test_an_officer_who_sees_the_full_nik_leaves_one_recorded_view(client, staff):
    profile = make_profile()
    client.force_login(with_totp(staff))
    client.get(reverse("admin:cadres_cadreprofile_change", args=[profile.pk]))
    assert PersonalDataView.objects.filter(profile=profile, viewer=staff).count() == 1
    assert services.record_personal_data_view(actor=profile.user, profile=profile) is None


@pytest.fixture
def make_samarinda_staff(other_kota):
    from forkom.accounts.models import Role
    from tests.conftest import make_persona

    return make_persona(Role.DINAS_STAFF, "64.72")
