"""A person appointed a forum officer is told, and again when their term ends: the position
gives them (or takes away) the forum's manage page."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadres.forums import services
from forkom.accounts.models import Position
from tests.cadres.test_forum_services import (
    BELIMBING,
    BONTANG_BARAT,
    forum_of,
    verified_cadre,
)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_the_kecamatan_officer_appoints_a_sekretaris_who_is_told_with_a_link_to_manage(
    bontang, kecamatan_officer, mailoutbox, django_capture_on_commit_callbacks
):
    rina = verified_cadre("Rina Wati")
    with django_capture_on_commit_callbacks(execute=True):
        services.appoint_officer(
            actor=kecamatan_officer,
            forum=forum_of(BELIMBING),
            user=rina.user,
            position=Position.SEKRETARIS,
        )
    told = rina.user.notifications.get()
    assert told.url == reverse("forums:manage", args=[BELIMBING])
    assert "Belimbing" in told.subject
    assert [message.to for message in mailoutbox] == [[rina.user.email]]
    assert reverse("forums:manage", args=[BELIMBING]) in mailoutbox[0].body
    assert kecamatan_officer.notifications.count() == 0


def test_the_coordinator_appoints_a_ketua_who_is_told_and_told_again_when_the_term_ends(
    bontang, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    budi = verified_cadre("Budi Santoso")
    with django_capture_on_commit_callbacks(execute=True):
        term = services.appoint_officer(
            actor=coordinator,
            forum=forum_of(BONTANG_BARAT),
            user=budi.user,
            position=Position.KETUA,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.end_officer_term(actor=coordinator, assignment=term)
    appointed, ended = budi.user.notifications.order_by("pk")
    assert appointed.url == reverse("forums:manage", args=[BONTANG_BARAT])
    assert ended.url == reverse("forums:detail", args=[BONTANG_BARAT])
    assert appointed.subject != ended.subject
    assert len(mailoutbox) == 2
    assert coordinator.notifications.count() == 0
