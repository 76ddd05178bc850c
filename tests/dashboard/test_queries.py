"""Every dashboard page and export costs the same number of queries with 1 row per table as
with 200: the figures are counted by the database, a query per group of figures."""

import datetime
import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres.models import Body, CadreMembership, CadreProfile, Forum, Sex
from forkom.territory.models import Region
from programs.models import Innovation, Proposal
from tests.cadres.factories import bulk_profiles
from trainings.models import Registration, Training

State = Proposal.State
STATES = [State.SUBMITTED, State.RECOMMENDED, State.ESCALATED, State.ACCEPTED, State.DECLINED]
_serial = itertools.count(1)

# The queries of each page, whatever the data: session, user, the viewer's roles, the menu's
# counts (not on the exports), the area,
# then one per group of figures (and the queue, the innovations).
PINNED = {
    "dashboard:city": 16,
    "dashboard:city_kecamatan": 14,
    "dashboard:province": 15,
    "dashboard:city_export": 12,
    "dashboard:city_kecamatan_export": 11,
    "dashboard:province_export": 12,
}
PAGES = [
    ("dashboard:city", ["64.74"], "coordinator"),
    ("dashboard:city_kecamatan", ["64.74", "64.74.03"], "coordinator"),
    ("dashboard:province", ["64"], "staff"),
    ("dashboard:city_export", ["64.74", "csv"], "coordinator"),
    ("dashboard:city_export", ["64.74", "xlsx"], "staff"),
    ("dashboard:city_kecamatan_export", ["64.74", "64.74.03", "xlsx"], "coordinator"),
    ("dashboard:province_export", ["64", "csv"], "staff"),
]


def fill(count):
    """`count` more rows in every table the dashboards read, written with bulk_create."""
    now = timezone.now()
    batch = next(_serial)
    kelurahan = Region.objects.bulk_create(
        Region(
            code=f"64.74.03.{2000 + batch * 200 + index:04d}",
            name=f"Kelurahan uji {batch}-{index}",
            level=Region.Level.DESA_KELURAHAN,
            parent_id="64.74.03",
        )
        for index in range(count)
    )
    Forum.objects.bulk_create(
        Forum(region=region, sk_number="SK/1", sk_date=datetime.date(2026, 1, 5))
        for region in kelurahan
    )
    profiles = bulk_profiles(
        count,
        f"Kader massal {batch}",
        kelurahan=lambda index: kelurahan[index % len(kelurahan)].code,
        status=lambda index: (
            CadreProfile.Status.VERIFIED if index % 3 else CadreProfile.Status.WAITING
        ),
        sex=Sex.FEMALE,
    )
    bodies = list(Body.objects.all())
    CadreMembership.objects.bulk_create(
        CadreMembership(profile=profile, body=bodies[index % len(bodies)])
        for index, profile in enumerate(profiles)
    )
    Proposal.objects.bulk_create(
        Proposal(
            proposer=profiles[index],
            title=f"Usulan {index}",
            summary="-",
            problem="-",
            needs="-",
            goals="-",
            activities="-",
            target_group="-",
            beneficiaries=10,
            location=profiles[index].kelurahan,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 2, 1),
            budget=1_000_000,
            state=STATES[index % len(STATES)],
            state_changed_at=now - timedelta(days=index % 30),
            first_submitted_at=now - timedelta(days=40),
        )
        for index in range(count)
    )
    trainings = Training.objects.bulk_create(
        Training(
            title=f"Pelatihan {index}",
            organiser="Dinas",
            venue="Aula",
            venue_kecamatan_id=["64.74.01", "64.74.02", "64.74.03"][index % 3],
            starts_at=now + timedelta(days=index % 170 - 85),
            ends_at=now + timedelta(days=index % 170 - 85, hours=5),
            capacity=100,
            registration_opens_at=now - timedelta(days=200),
            registration_closes_at=now + timedelta(days=index % 170 - 86),
            state=Training.State.FINISHED if index % 2 else Training.State.PUBLISHED,
        )
        for index in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            training=trainings[index],
            profile=profile,
            status=Registration.Status.REGISTERED,
            attended=bool(index % 2),
            created_at=now - timedelta(days=index),
        )
        for index, profile in enumerate(profiles)
    )
    Innovation.objects.bulk_create(
        Innovation(
            recorded_by=profile,
            title=f"Inovasi {index}",
            description="-",
            kelurahan=profile.kelurahan,
            results="-",
            impact="-",
            state=Innovation.State.PUBLISHED,
            published_at=now,
            channelled_at=now,
        )
        for index, profile in enumerate(profiles)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "args", "viewer"), PAGES)
def test_a_dashboard_costs_the_same_queries_for_one_row_per_table_and_for_200(
    client, request, bontang, coordinator, staff, name, args, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    url = reverse(name, args=args)
    fill(1)
    one = count_queries(client, url)
    fill(199)
    many = count_queries(client, url)
    assert Proposal.objects.count() == CadreProfile.objects.count() == 200
    assert many == one == PINNED[name]
