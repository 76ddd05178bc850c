"""One rule of which name a person goes by: their cadre profile's, the name their officers
verified, else their account's (cadres.forums.selectors.person_name). Two rules stood side by
side: the forum and cadre pages read the profile first, the timelines' stored names and the
"signed in as" message the account first, so one cadre had two names."""

import uuid

import pytest

from cadres.forums.selectors import display_name, person_name
from cadres.models import CadreProfile
from cadres.selectors import account_display
from programs import services
from tests.conftest import make_user
from tests.programs.factories import make_proposal, make_verified_profile


@pytest.fixture
def rudi(bontang):
    """A cadre who signed up as "Rudi" and whose profile says "Rudi Hartono"."""
    user = make_user("rudi@test.forkom.id", first_name="Rudi")
    make_verified_profile(user, kelurahan="64.74.03.1003", full_name="Rudi Hartono")
    return user


def test_a_cadre_goes_by_the_profiles_name_everywhere(rudi, bontang):
    proposer = make_user("siti@test.forkom.id", first_name="Siti")
    make_verified_profile(proposer, full_name="Siti Rahmawati")
    proposal = make_proposal(proposer, team=[CadreProfile.objects.get(user=rudi)])
    services.add_comment(actor=rudi, proposal=proposal, body="Saya ikut.", token=uuid.uuid4())

    assert proposal.comments.get().author_name == "Rudi Hartono"
    assert account_display(rudi) == "Rudi Hartono"
    assert display_name(rudi) == person_name(rudi) == "Rudi Hartono"


def test_without_a_profile_the_accounts_name_and_never_the_email(db):
    staff = make_user("staf@test.forkom.id", first_name="Dewi", last_name="Lestari")
    nameless = make_user("tanpa.nama@test.forkom.id")
    assert person_name(staff) == display_name(staff) == "Dewi Lestari"
    assert person_name(nameless) == ""
    assert display_name(nameless, public=False) == "tanpa.nama@test.forkom.id"
    assert account_display(nameless) == "tanpa.nama@test.forkom.id"
