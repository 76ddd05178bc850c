import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cadres.models import CadreProfile


def test_demo_cadres_give_the_demo_accounts_verified_profiles_once(bontang, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    verified = CadreProfile.objects.filter(status=CadreProfile.Status.VERIFIED)
    assert set(verified.values_list("user__email", flat=True)) == {
        "kader@demo.forkom.id",
        "pengurus.kelurahan@demo.forkom.id",
        "pengurus.kecamatan@demo.forkom.id",
    }
    assert CadreProfile.objects.filter(status=CadreProfile.Status.WAITING).count() == 6


def test_demo_cadres_are_refused_when_debug_is_off(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_cadres")
