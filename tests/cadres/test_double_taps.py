"""A double tap on "Verifikasi" or "Tolak" shows the first tap's result, not a refusal."""

import re

from django.urls import reverse

from cadres.models import CadreEvent, CadreProfile
from forkom.accounts.models import Position, Role, User
from tests.cadres.factories import make_profile
from tests.cadres.test_assisted import assisted_form
from tests.conftest import make_persona

TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


def tokens(client, profile):
    return TOKEN.findall(client.get(profile.get_absolute_url()).text)


def test_the_second_tap_on_verify_shows_that_the_cadre_is_verified(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    verify_token, _reject_token = tokens(client, profile)
    url = reverse("cadres:verify", args=[profile.public_id])
    first = client.post(url, {"token": verify_token}, follow=True)
    second = client.post(url, {"token": verify_token}, follow=True)
    assert first.status_code == second.status_code == 200
    assert [str(m) for m in second.context["messages"]] == [
        str(m) for m in first.context["messages"]
    ]
    assert CadreProfile.objects.get(pk=profile.pk).status == "verified"
    assert CadreEvent.objects.filter(profile=profile, after="verified").count() == 1
    # Without the token (an old page), the second post is refused as before.
    assert client.post(url).status_code == 409


def test_the_second_tap_on_reject_shows_the_rejection(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    _verify_token, reject_token = tokens(client, profile)
    url = reverse("cadres:reject", args=[profile.public_id])
    form = {"token": reject_token, "reason": "Bukan warga Belimbing"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert CadreEvent.objects.filter(profile=profile, after="rejected").count() == 1


def test_a_token_used_on_another_cadre_is_refused(client, kelurahan_officer):
    first, second = make_profile(), make_profile()
    client.force_login(kelurahan_officer)
    token = tokens(client, first)[0]
    client.post(reverse("cadres:verify", args=[first.public_id]), {"token": token})
    response = client.post(reverse("cadres:verify", args=[second.public_id]), {"token": token})
    assert response.status_code == 409
    assert CadreProfile.objects.get(pk=second.pk).status == "waiting"


def test_a_double_tap_on_assisted_registration_makes_one_account(client, kelurahan_officer):
    """Without a one-time key the second tap made a second account (its NIK then "taken",
    queued for review) for the same cadre."""

    client.force_login(kelurahan_officer)
    url = reverse("cadres:register_assisted")
    [token] = TOKEN.findall(client.get(url).text)
    form = assisted_form() | {"token": token}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CadreProfile.objects.count() == 1
    assert User.objects.filter(cadre_profile__isnull=False).count() == 1
    # Another officer's post with the same key is refused and stores nothing.
    other = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.SEKRETARIS)
    client.force_login(other)
    assert client.post(url, form).status_code == 400  # shown on the form
    assert CadreProfile.objects.count() == 1
