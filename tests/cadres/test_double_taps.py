"""A double tap on "Verifikasi" or "Tolak" shows the first tap's result, not a refusal."""

import re

from django.urls import reverse

from cadres.models import CadreEvent, CadreProfile
from tests.cadres.factories import make_profile

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
