"""Signing in without email: an officer's one-time activation code (issue 17, part 1)."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.activation import services as activation
from cadres.models import ActivationCode, CadreEvent
from forkom.accounts import services as account_services
from forkom.accounts.models import Position, Role
from forkom.errors import MayNot
from tests.cadres.factories import profile_details
from tests.concurrency import done_or_refused, require_postgresql
from tests.conftest import make_persona

NEW_PASSWORD = "kata-sandi-kader-2026"


@pytest.fixture
def phone_only(kelurahan_officer):
    """A cadre registered by the kelurahan officer without an email address."""
    return services.register_assisted(
        actor=kelurahan_officer,
        **profile_details(full_name="Mbah Sarinah", phone="0812-7777-6666"),
    )


def issue(client, officer, profile):
    client.force_login(officer)
    response = client.post(reverse("cadres:issue_code", args=[profile.public_id]))
    client.logout()
    return response


def sign_in(client, identifier, code):
    return client.post(
        reverse("cadres:sign_in_with_code"), {"identifier": identifier, "code": code}
    )


def test_an_officer_issues_a_code_and_the_cadre_signs_in_with_phone_and_sets_a_password(
    client, kelurahan_officer, phone_only
):
    client.force_login(kelurahan_officer)
    page = client.get(phone_only.get_absolute_url())
    assert reverse("cadres:issue_code", args=[phone_only.public_id]) in page.text

    response = issue(client, kelurahan_officer, phone_only)
    assert response.status_code == 200
    code = response.context["code"]
    assert response["Cache-Control"].startswith("max-age=0")
    # The WhatsApp link goes to the cadre's number with the code and the sign-in address.
    assert response.context["whatsapp_url"].startswith("https://wa.me/6281277776666?text=")
    assert code.replace("-", "") in response.context["whatsapp_url"].replace("-", "")
    assert "/kader/masuk-dengan-kode/" in response.context["message_text"]

    # Typed as people type it: the local form of the number, the code in small letters.
    response = sign_in(client, "0812 7777 6666", code.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_set_password")
    # Named as on the profile: the account of a cadre an officer registered has no name or
    # email, and the message read "Berhasil masuk sebagai #54".
    signed_in = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Mbah Sarinah" in message for message in signed_in), signed_in
    response = client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    # Home, not the change form that asks for the password just chosen.
    assert response["Location"] == reverse("home")
    phone_only.user.refresh_from_db()
    assert phone_only.user.check_password(NEW_PASSWORD)
    notes = list(CadreEvent.objects.filter(profile=phone_only).values_list("note", flat=True))
    assert any(
        "activation code issued" in note.lower() or "kode aktivasi" in note.lower()
        for note in notes
    )


def test_the_nik_works_as_well_as_the_phone_number(client, kelurahan_officer, phone_only):
    code = issue(client, kelurahan_officer, phone_only).context["code"]
    response = sign_in(client, phone_only.nik, code)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == phone_only.user_id


def test_a_code_works_once(client, kelurahan_officer, phone_only):
    code = issue(client, kelurahan_officer, phone_only).context["code"]
    assert sign_in(client, "+6281277776666", code).status_code == 302
    client.logout()
    response = sign_in(client, "+6281277776666", code)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_expired_code_is_refused(client, kelurahan_officer, phone_only):
    code = issue(client, kelurahan_officer, phone_only).context["code"]
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = sign_in(client, "081277776666", code)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_new_code_replaces_the_old_one(client, kelurahan_officer, phone_only):
    first = issue(client, kelurahan_officer, phone_only).context["code"]
    second = issue(client, kelurahan_officer, phone_only).context["code"]
    assert sign_in(client, "081277776666", first).status_code == 400
    assert sign_in(client, "081277776666", second).status_code == 302


def test_a_wrong_code_or_another_persons_code_is_refused(client, kelurahan_officer, phone_only):
    other = services.register_assisted(
        actor=kelurahan_officer,
        **profile_details(full_name="Pak Darto", phone="0813-5555-4444"),
    )
    code_for_other = issue(client, kelurahan_officer, other).context["code"]
    issue(client, kelurahan_officer, phone_only)
    response = sign_in(client, "081277776666", code_for_other)
    assert response.status_code == 400
    assert "do not match" in response.text or "tidak cocok" in response.text
    assert sign_in(client, "081277776666", "ABCD-2345").status_code == 400
    assert sign_in(client, "not a number", code_for_other).status_code == 400
    assert "_auth_user_id" not in client.session
    assert not ActivationCode.objects.filter(used_at__isnull=False).exists()


def test_the_plain_code_is_not_stored(client, kelurahan_officer, phone_only):
    code = issue(client, kelurahan_officer, phone_only).context["code"].replace("-", "")
    row = ActivationCode.objects.get()
    assert code not in row.code_hash
    assert row.code_hash == activation.hash_code(code)
    assert len(row.code_hash) == 64


def test_wrong_codes_are_rate_limited_like_sign_ins(client, kelurahan_officer, phone_only):
    code = issue(client, kelurahan_officer, phone_only).context["code"]
    statuses = [sign_in(client, "081277776666", "ZZZZ-ZZZZ").status_code for _ in range(5)]
    assert statuses == [400] * 5
    # The sixth attempt, even with the right code and another way of writing the number.
    response = sign_in(client, "+62 812-7777-6666", code)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert ActivationCode.objects.get().used_at is None


def test_an_officer_of_another_area_cannot_issue_a_code(client, outsider, phone_only):
    response = issue(client, outsider, phone_only)
    assert response.status_code == 404
    assert not ActivationCode.objects.exists()
    with pytest.raises(MayNot):
        activation.issue_activation_code(actor=outsider, profile=phone_only)


def test_a_cadre_cannot_issue_codes(client, cadre, phone_only):
    assert issue(client, cadre, phone_only).status_code == 404
    assert not ActivationCode.objects.exists()


def test_no_code_for_a_cadre_with_a_confirmed_email(client, kelurahan_officer, phone_only):
    EmailAddress.objects.create(
        user=phone_only.user, email="sarinah@test.forkom.id", verified=True, primary=True
    )
    client.force_login(kelurahan_officer)
    assert "kode-aktivasi" not in client.get(phone_only.get_absolute_url()).text
    response = issue(client, kelurahan_officer, phone_only)
    assert response.status_code == 409
    assert not ActivationCode.objects.exists()


def test_no_code_opens_an_officers_account(client, kelurahan_officer, phone_only):
    account_services.grant_role(
        actor=None,
        user=phone_only.user,
        role=Role.FORUM_OFFICER,
        region=phone_only.kelurahan,
        position=Position.BENDAHARA,
    )
    client.force_login(kelurahan_officer)
    assert "kode-aktivasi" not in client.get(phone_only.get_absolute_url()).text
    with pytest.raises(MayNot):
        activation.issue_activation_code(actor=kelurahan_officer, profile=phone_only)
    assert not ActivationCode.objects.exists()


def test_signing_in_with_a_code_replaces_a_forgotten_password(
    client, kelurahan_officer, phone_only
):
    user = phone_only.user
    user.set_password("lupa-kata-sandi-lama")
    user.save()
    code = issue(client, kelurahan_officer, phone_only).context["code"]
    assert sign_in(client, "081277776666", code).status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert client.get(reverse("account_set_password")).status_code == 200


def test_the_sign_in_page_and_the_login_page_point_to_each_other(client, bontang):
    page = client.get(reverse("cadres:sign_in_with_code"))
    assert page.status_code == 200
    assert reverse("account_login") in page.text
    assert reverse("cadres:sign_in_with_code") in client.get(reverse("account_login")).text
    assert (
        reverse("cadres:sign_in_with_code") in client.get(reverse("account_reset_password")).text
    )


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_code_redeemed_twice_at_once_opens_the_account_once(bontang, monkeypatch):
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)
    profile = services.register_assisted(
        actor=officer, **profile_details(full_name="Mbah Sarinah", phone="0812-7777-6666")
    )
    code, _expires = activation.issue_activation_code(actor=officer, profile=profile)
    check = activation._check_may_receive_code

    def slow_check(user):
        time.sleep(0.3)  # both would pass here if the code's row were not locked
        check(user)

    monkeypatch.setattr(activation, "_check_may_receive_code", slow_check)
    outcomes = done_or_refused(
        lambda: activation.redeem_activation_code(identifier="081277776666", code=code),
        lambda: activation.redeem_activation_code(identifier=profile.nik, code=code),
    )
    assert outcomes == ["done", "refused"]
    assert CadreEvent.objects.filter(profile=profile, actor=profile.user).count() == 1
