"""Assisted registration of a cadre without an email, and how the cadre claims the account."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.consent import CONSENT_VERSION
from cadres.models import Body, CadreProfile
from forkom.accounts import services as account_services
from forkom.accounts.models import Position, Role, User
from forkom.territory.models import Region
from tests.cadres.factories import make_profile, profile_details
from tests.conftest import make_persona, make_user

NEW_PASSWORD = "kata-sandi-kader-2026"
RESET_LINK = re.compile(r"https?://testserver(/akun/password/reset/key/\S+/)")
CONFIRM_LINK = re.compile(r"https?://testserver(/akun/confirm-email/\S+/)")


def assisted_form(**overrides):
    posyandu = Body.objects.get(name="Posyandu")
    form = {
        "printed_consent": "on",
        "full_name": "Mbah Sarinah",
        "nik": "6474035508600001",
        "sex": "P",
        "birth_place": "Bontang",
        "birth_date": "1960-08-15",
        "phone": "0812-7777-6666",
        "address": "Jl. Pupuk Raya",
        "kelurahan": "64.74.03.1001",
        "education": "sd",
        f"body_{posyandu.pk}": "on",
        f"body_{posyandu.pk}_position": "Kader",
    }
    form.update(overrides)
    return form


def test_a_kelurahan_officer_registers_a_cadre_who_has_no_email(client, kelurahan_officer):
    client.force_login(kelurahan_officer)
    response = client.get(reverse("cadres:register_assisted"))
    assert response.status_code == 200
    assert "UU 27/2022" in response.text  # the statement to print and read with the cadre

    response = client.post(reverse("cadres:register_assisted"), assisted_form())

    profile = CadreProfile.objects.get(full_name="Mbah Sarinah")
    assert response["Location"] == profile.get_absolute_url()
    assert (profile.registered_by, profile.status) == (kelurahan_officer, "waiting")
    assert profile.user.email is None
    assert not profile.user.has_usable_password()
    consent = profile.user.consents.get()
    assert (consent.version, consent.recorded_by) == (CONSENT_VERSION, kelurahan_officer)
    response = client.get(profile.get_absolute_url())
    assert str(kelurahan_officer) in response.text  # "registered by ..."
    assert reverse("cadres:claim_email", args=[profile.public_id]) in response.text


def test_without_the_printed_consent_nothing_is_stored(client, kelurahan_officer):
    client.force_login(kelurahan_officer)
    form = assisted_form()
    del form["printed_consent"]
    response = client.post(reverse("cadres:register_assisted"), form)
    assert response.status_code == 400
    assert "printed_consent" in response.context["form"].errors
    assert not CadreProfile.objects.exists()
    assert not User.objects.filter(email=None).exists()


def test_the_same_checks_as_self_registration_apply(client, kelurahan_officer):
    client.force_login(kelurahan_officer)
    users = User.objects.count()
    response = client.post(reverse("cadres:register_assisted"), assisted_form(nik="123"))
    assert response.status_code == 400
    assert User.objects.count() == users  # no account left behind


@pytest.mark.parametrize("field", ["fields", "training_needs"])
def test_a_forged_choice_is_a_field_error_and_nothing_is_stored(client, kelurahan_officer, field):
    client.force_login(kelurahan_officer)
    response = client.post(reverse("cadres:register_assisted"), assisted_form(**{field: "9" * 30}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CadreProfile.objects.exists()


def test_a_kecamatan_officer_registers_in_any_kelurahan_of_the_kecamatan(
    client, kecamatan_officer
):
    client.force_login(kecamatan_officer)
    response = client.post(
        reverse("cadres:register_assisted"), assisted_form(kelurahan="64.74.03.1003")
    )
    assert response.status_code == 302
    assert CadreProfile.objects.get().registered_by == kecamatan_officer


def test_an_officer_is_offered_only_the_kelurahan_of_their_area(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("cadres:register_assisted"))
    assert 'value="64.74.01.1001"' in response.text
    assert 'value="64.74.03.1001"' not in response.text
    response = client.post(reverse("cadres:register_assisted"), assisted_form())
    assert response.status_code == 400
    assert "kelurahan" in response.context["form"].errors
    assert not CadreProfile.objects.exists()


@pytest.mark.parametrize("persona", ["cadre", "coordinator"])
def test_cadres_and_the_coordinator_have_no_assisted_registration(
    client, request, bontang, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("cadres:register_assisted")).status_code == 404
    assert client.post(reverse("cadres:register_assisted"), assisted_form()).status_code == 404
    assert not CadreProfile.objects.exists()


# --- Claiming the account -----------------------------------------------------------------


@pytest.fixture
def assisted(kelurahan_officer):
    return services.register_assisted(actor=kelurahan_officer, **profile_details())


def test_the_cadre_claims_the_account_through_the_email_the_officer_gives(
    client, assisted, kelurahan_officer, django_capture_on_commit_callbacks
):
    client.force_login(kelurahan_officer)
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": " Siti.Kader@Contoh.ID "})
    assert response.status_code == 302
    user = User.objects.get(pk=assisted.user_id)
    assert user.email == "siti.kader@contoh.id"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, False, True)
    assert assisted.events.last().actor == kelurahan_officer
    assert user.email not in assisted.events.last().note
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti.kader@contoh.id"]
    link = RESET_LINK.search(mail.outbox[0].body).group(1)

    client.logout()
    response = client.get(link)  # allauth moves the key out of the address
    response = client.post(
        response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The first sign-in confirms the address; then the cadre is in.
    response = client.post(
        reverse("account_login"), {"login": "siti.kader@contoh.id", "password": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    confirm = CONFIRM_LINK.search(mail.outbox[-1].body).group(1)
    client.post(confirm)
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        reverse("account_login"), {"login": "siti.kader@contoh.id", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("cadres:mine")).context["profile"] == assisted
    # Claimed: the officer no longer sees the claim form and cannot change the address.
    client.force_login(kelurahan_officer)
    assert client.get(assisted.get_absolute_url()).context["claim_form"] is None
    assert client.post(url, {"email": "lain@contoh.id"}).status_code == 409
    assert User.objects.get(pk=user.pk).email == "siti.kader@contoh.id"


def test_a_mistyped_address_is_replaced_before_the_cadre_claims_it(
    client, assisted, kelurahan_officer, django_capture_on_commit_callbacks
):
    client.force_login(kelurahan_officer)
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    for address in ("siti@contoh.co", "siti@contoh.id"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"email": address}).status_code == 302
    assert list(EmailAddress.objects.filter(user=assisted.user).values_list("email")) == [
        ("siti@contoh.id",)
    ]
    assert [message.to for message in mail.outbox] == [["siti@contoh.co"], ["siti@contoh.id"]]
    # The first link no longer works: the token covers the address.
    first_link = RESET_LINK.search(mail.outbox[0].body).group(1)
    client.logout()
    response = client.get(first_link)
    assert response.status_code == 200
    assert response.context["token_fail"]


def test_an_address_of_another_account_is_refused(client, assisted, kelurahan_officer):
    make_user("dipakai@contoh.id")
    client.force_login(kelurahan_officer)
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    response = client.post(url, {"email": "DIPAKAI@contoh.id"})
    assert response.status_code == 409
    assert User.objects.get(pk=assisted.user_id).email is None
    response = client.post(url, {"email": "bukan-email"})
    assert response.status_code == 400
    assert not EmailAddress.objects.filter(user=assisted.user).exists()


def test_a_self_registered_cadre_is_not_claimed_by_an_officer(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    assert client.get(profile.get_absolute_url()).context["claim_form"] is None
    url = reverse("cadres:claim_email", args=[profile.public_id])
    assert client.post(url, {"email": "baru@contoh.id"}).status_code == 409
    assert User.objects.get(pk=profile.user_id).email != "baru@contoh.id"


def test_officers_outside_the_area_and_the_coordinator_cannot_add_the_address(
    client, assisted, outsider, coordinator
):
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    client.force_login(outsider)
    assert client.post(url, {"email": "a@contoh.id"}).status_code == 404
    client.force_login(coordinator)  # sees the cadre, read only
    assert client.get(assisted.get_absolute_url()).context["claim_form"] is None
    assert client.post(url, {"email": "a@contoh.id"}).status_code == 403
    assert User.objects.get(pk=assisted.user_id).email is None


@pytest.mark.parametrize("starts_in_days", [0, 10])
def test_no_address_is_added_to_an_account_that_holds_a_higher_role(
    client, assisted, kelurahan_officer, starts_in_days
):
    """The assisted cadre has since become ketua of the kecamatan forum (or will be): an
    address given by a kelurahan ketua would open their forum's pages by a reset link."""
    account_services.grant_role(
        actor=None,
        user=assisted.user,
        role=Role.FORUM_OFFICER,
        region=Region.objects.get(code="64.74.03"),
        position=Position.KETUA,
        starts_on=timezone.localdate() + timedelta(days=starts_in_days),
    )
    client.force_login(kelurahan_officer)
    assert client.get(assisted.get_absolute_url()).context["claim_form"] is None
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    assert client.post(url, {"email": "pengambil@contoh.id"}).status_code == 403
    assert User.objects.get(pk=assisted.user_id).email is None
    assert not EmailAddress.objects.filter(user=assisted.user).exists()


def test_an_address_longer_than_an_email_column_is_refused(client, assisted, kelurahan_officer):
    client.force_login(kelurahan_officer)
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    response = client.post(url, {"email": "a" * 250 + "@contoh.id"})
    assert response.status_code == 400
    assert User.objects.get(pk=assisted.user_id).email is None


def test_the_claim_is_post_only(client, assisted, kelurahan_officer):
    client.force_login(kelurahan_officer)
    url = reverse("cadres:claim_email", args=[assisted.public_id])
    assert client.get(url).status_code == 405


def test_dinas_staff_register_in_any_kelurahan_of_their_region(client, staff):
    client.force_login(staff)
    secretary = make_persona(Role.FORUM_OFFICER, "64.74.02", Position.SEKRETARIS)
    response = client.post(
        reverse("cadres:register_assisted"), assisted_form(kelurahan="64.74.02.1001")
    )
    assert response.status_code == 302
    profile = CadreProfile.objects.get()
    assert profile.registered_by == staff
    client.force_login(secretary)  # and the officers of that area see who did
    assert str(staff) in client.get(profile.get_absolute_url()).text
