"""The public pages of a kecamatan and a kelurahan: forum, trainings, programmes, innovations."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from cadres.forums import services as forum_services
from cadres.models import Field
from forkom.territory.models import Region
from programs.innovations import services as innovation_services
from programs.models import Proposal
from tests.cadres.test_forum_services import forum_of, verified_cadre
from tests.conftest import make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile
from tests.programs.test_innovations import record
from tests.trainings.factories import make_training
from trainings.models import Training

BONTANG_BARAT = "64.74.03"
BELIMBING = "64.74.03.1001"
GUNUNG_TELIHAN = "64.74.03.1002"
BONTANG_KUALA = "64.74.01.1001"  # Bontang Utara
State = Proposal.State


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def proposer(bontang):
    user = make_user("pengusul@test.forkom.id", first_name="Siti", last_name="Pengusul")
    make_verified_profile(user, full_name="Siti Pengusul")
    return user


def page(code):
    return reverse("territory:region", kwargs={"code": code})


def proposal_in(state, proposer, people, title, kelurahan=GUNUNG_TELIHAN):
    officer, coordinator, staff = people
    return bring_to(
        make_proposal(proposer, title=title, kelurahan=kelurahan),
        state,
        officer=officer,
        coordinator=coordinator,
        staff=staff,
    )


@pytest.fixture
def people(kecamatan_officer, coordinator, staff):
    return kecamatan_officer, coordinator, staff


@pytest.fixture
def area(proposer, people, kecamatan_officer, coordinator):
    """Bontang Barat with a ketua but no SK, trainings, proposals and innovations in each
    state that the page must show or leave out."""
    ketua = verified_cadre("Ketua Terbuka")
    forum_services.appoint_officer(
        actor=coordinator, forum=forum_of(BONTANG_BARAT), user=ketua.user, position="ketua"
    )
    make_training(title="Pelatihan Akan Datang")
    make_training(title="Pelatihan Draf", state=Training.State.DRAFT)
    make_training(title="Pelatihan Lalu", starts_in=timedelta(days=-30))
    make_training(title="Pelatihan Utara", venue_kecamatan_id="64.74.01")
    proposal_in(State.ACCEPTED, proposer, people, "Usulan Diterima")
    proposal_in(State.ESCALATED, proposer, people, "Usulan Tersalur")
    proposal_in(State.SUBMITTED, proposer, people, "Usulan Diajukan")
    make_proposal(proposer, title="Usulan Draf")
    published = record(proposer, title="Inovasi Terbit", kelurahan=region(GUNUNG_TELIHAN))
    innovation_services.publish_innovation(actor=kecamatan_officer, innovation=published)
    record(proposer, title="Inovasi Belum Terbit")
    return ketua


@pytest.mark.parametrize("code", [BONTANG_BARAT, GUNUNG_TELIHAN])
def test_a_kecamatan_and_a_kelurahan_page_show_what_the_area_has(client, area, code):
    text = client.get(page(code)).text
    if code == BONTANG_BARAT:
        assert "Ketua Terbuka" in text  # the kecamatan forum's ketua
        assert "Kelurahan forums formed: 0 of 3." in text
    assert "Not formed yet" in text
    assert "its SK (decree) number and date recorded" in text
    assert reverse("forums:detail", kwargs={"code": code}) in text
    assert "Pelatihan Akan Datang" in text
    for absent in ("Pelatihan Draf", "Pelatihan Lalu", "Pelatihan Utara"):
        assert absent not in text
    assert "Usulan Diterima" in text
    assert "Usulan Tersalur" in text
    assert "Accepted into the provincial programme" in text
    assert "Usulan Diajukan" not in text
    assert "Usulan Draf" not in text
    assert "Inovasi Terbit" in text
    assert "Inovasi Belum Terbit" not in text


def test_a_kecamatan_page_lists_its_kelurahan_with_their_forums_state(client, area, coordinator):
    ketua = verified_cadre("Ketua Kanaan", kelurahan="64.74.03.1003")
    kanaan = forum_of("64.74.03.1003")
    forum_services.record_sk(
        actor=coordinator, forum=kanaan, number="3/2026", date=date(2026, 2, 1)
    )
    forum_services.appoint_officer(
        actor=coordinator, forum=kanaan, user=ketua.user, position="ketua"
    )
    text = client.get(page(BONTANG_BARAT)).text
    for code in (BELIMBING, GUNUNG_TELIHAN, "64.74.03.1003"):
        assert f'href="{page(code)}"' in text
    assert "Kelurahan forums formed: 1 of 3." in text
    assert "Ketua: Ketua Kanaan" in text


def test_a_kelurahan_shows_only_its_own_programmes_and_innovations(client, area):
    text = client.get(page(BELIMBING)).text
    assert "Usulan Diterima" not in text  # in Gunung Telihan
    assert "Inovasi Terbit" not in text
    assert "Pelatihan Akan Datang" in text  # in its kecamatan
    other = client.get(page(BONTANG_KUALA)).text
    for absent in ("Usulan Diterima", "Inovasi Terbit", "Pelatihan Akan Datang"):
        assert absent not in other
    assert "Pelatihan Utara" in other
    empty = client.get(page("64.74.02.1001")).text  # in Bontang Selatan: nothing yet
    assert "No training is announced in this kecamatan yet." in empty
    assert "No programme of this area has reached the province yet." in empty
    assert "No innovation of this area is published yet." in empty


def test_the_region_pages_show_no_personal_data(client, area, proposer):
    profile = proposer.cadre_profile
    secrets = [
        "Siti Pengusul",
        proposer.email,
        profile.nik,
        profile.masked_nik,
        profile.phone,
        profile.address,
        str(profile.public_id),
        area.nik,
        area.user.email,
        area.phone,
    ]
    for code in (BONTANG_BARAT, GUNUNG_TELIHAN, BELIMBING):
        text = client.get(page(code)).text
        for secret in secrets:
            assert secret not in text, f"{secret!r} shown on {code}"


def test_a_signed_in_cadre_sees_the_same_page(client, area, cadre):
    client.force_login(cadre)
    response = client.get(page(GUNUNG_TELIHAN))
    assert response.status_code == 200
    assert "Usulan Diterima" in response.text
    assert "Usulan Diajukan" not in response.text


def test_a_formed_forum_says_so_and_no_longer_lists_what_is_missing(client, area, coordinator):
    forum_services.record_sk(
        actor=coordinator, forum=forum_of(BONTANG_BARAT), number="1/2026", date=date(2026, 1, 5)
    )
    text = client.get(page(BONTANG_BARAT)).text
    assert "Formed" in text
    assert "Still needed to be formed" not in text


def test_the_kota_and_the_province_pages_carry_no_sections(client, bontang):
    for code in ("64", "64.74"):
        response = client.get(page(code))
        assert response.status_code == 200
        assert response.context["sections"] == []


def test_an_inactive_kelurahan_shows_only_its_name(client, bontang):
    Region.objects.filter(code=BELIMBING).update(is_active=False)
    response = client.get(page(BELIMBING))
    assert response.status_code == 200
    assert response.context["sections"] == []


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("code", [BONTANG_BARAT, GUNUNG_TELIHAN])
def test_the_region_page_costs_the_same_queries_for_little_and_much(
    client, proposer, people, kecamatan_officer, cadre, django_assert_num_queries, code, signed_in
):
    if signed_in:
        client.force_login(cadre)

    def add(number):
        make_training(title=f"Pelatihan {number}")
        proposal_in(State.ESCALATED, proposer, people, f"Usulan {number}")
        innovation = record(proposer, title=f"Inovasi {number}", kelurahan=region(GUNUNG_TELIHAN))
        innovation_services.publish_innovation(actor=kecamatan_officer, innovation=innovation)
        officer = verified_cadre(f"Koordinator {number}", kelurahan=GUNUNG_TELIHAN)
        forum_services.appoint_officer(
            actor=people[1],
            forum=forum_of(code),
            user=officer.user,
            position="koordinator_bidang",
            field=Field.objects.get_or_create(name="Kesehatan")[0],
        )

    add(0)
    # The region, its ancestors, its children, the forum (with its kelurahan forums on a
    # kecamatan page) and its officers, trainings, programmes with their kinds of help,
    # innovations; a signed-in viewer adds the session, the user and their roles.
    expected = (11 if code == BONTANG_BARAT else 10) + (3 if signed_in else 0)
    with django_assert_num_queries(expected):
        client.get(page(code))
    for number in range(1, 7):
        add(number)
    with django_assert_num_queries(expected):
        client.get(page(code))


def region(code):
    return Region.objects.get(code=code)


def test_the_home_page_links_every_kecamatan_and_kelurahan(client, bontang):
    text = client.get(reverse("home")).text
    for code in (BONTANG_BARAT, BELIMBING, GUNUNG_TELIHAN, BONTANG_KUALA):
        assert f'href="{page(code)}"' in text
