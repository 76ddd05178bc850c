"""The figures of the dashboards match what the test counts itself, row by row, in Python
over every row of the hand-built data set (tests/dashboard/conftest.py)."""

import csv
import io
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres.models import CadreMembership, CadreProfile, Forum
from forkom.accounts.models import Position, Role, RoleAssignment
from programs.models import Proposal
from trainings.models import Registration, Training

# Every test here asks for the data set: it is built once for the module (conftest.py).
WORLD_FOR_THE_MODULE = True

State = Proposal.State


def within(code, area):
    return code == area or code.startswith(area + ".")


def forum_formed(code):
    """Counted again: a forum with its SK and a current ketua."""
    forum = Forum.objects.filter(region_id=code).first()
    if forum is None or not (forum.sk_number and forum.sk_date):
        return False
    today = timezone.localdate()
    return any(
        assignment.role == Role.FORUM_OFFICER
        and assignment.position == Position.KETUA
        and assignment.region_id == code
        and assignment.is_active
        and assignment.starts_on <= today
        and (assignment.ends_on is None or assignment.ends_on >= today)
        for assignment in RoleAssignment.objects.all()
    )


def expected(area, level_below, now, period=None):
    """Every figure of the area `area`, counted in Python over all rows; with a period
    (first day, day after the last), its activity figures."""
    from forkom.territory.models import Region

    def in_period(moment):
        return period is None or period[0] <= moment < period[1]

    regions = [r for r in Region.objects.all() if within(r.code, area) and r.is_active]
    cadres = [c for c in CadreProfile.objects.all() if within(c.kelurahan_id, area)]
    proposals = [
        p
        for p in Proposal.objects.all()
        if within(p.location_id, area)
        and p.first_submitted_at is not None
        and in_period(p.first_submitted_at)
    ]
    trainings = [
        t
        for t in Training.objects.all()
        if within(t.venue_kecamatan_id, area)
        and t.state in (Training.State.PUBLISHED, Training.State.FINISHED)
    ]
    seats = [
        r
        for r in Registration.objects.select_related("training", "profile")
        if within(r.profile.kelurahan_id, area)
        and r.training.state == Training.State.FINISHED
        and r.status == Registration.Status.REGISTERED
        and in_period(r.training.starts_at)
    ]
    since, until = period or (now - timedelta(days=90), now + timedelta(days=90))
    recommended = [p.state_changed_at for p in proposals if p.state == State.RECOMMENDED]
    escalated = [p.state_changed_at for p in proposals if p.state == State.ESCALATED]
    return {
        "forums": {
            level: (
                sum(forum_formed(r.code) for r in regions if r.level == level),
                sum(1 for r in regions if r.level == level),
            )
            for level in level_below
        },
        "verified": sum(c.status == CadreProfile.Status.VERIFIED for c in cadres),
        "waiting": sum(c.status == CadreProfile.Status.WAITING for c in cadres),
        "bodies": Counter(
            m.body_id
            for m in CadreMembership.objects.select_related("profile")
            if within(m.profile.kelurahan_id, area)
            and m.profile.status == CadreProfile.Status.VERIFIED
        ),
        "states": Counter(p.state for p in proposals),
        "oldest_recommended": min(recommended) if recommended else None,
        "oldest_escalated": min(escalated) if escalated else None,
        "held": sum(since <= t.starts_at < min(now, until) for t in trainings),
        "upcoming": sum(
            max(now, since) <= t.starts_at < until and t.state == Training.State.PUBLISHED
            for t in trainings
        ),
        "registered": len(seats),
        "attended": sum(r.attended for r in seats),
    }


def assert_matches(figures, counted, *, trainings=True):
    for level, (formed, total) in counted["forums"].items():
        assert figures.forums[level] == [formed, total], (figures.code, level)
    assert figures.verified == counted["verified"], figures.code
    assert figures.waiting == counted["waiting"], figures.code
    assert {k: v for k, v in figures.bodies.items() if v} == dict(counted["bodies"])
    assert {k: v for k, v in figures.proposals.items() if v} == dict(counted["states"])
    assert figures.oldest.get(State.RECOMMENDED) == counted["oldest_recommended"]
    assert figures.oldest.get(State.ESCALATED) == counted["oldest_escalated"]
    if trainings:
        assert figures.trainings_held == counted["held"], figures.code
        assert figures.trainings_upcoming == counted["upcoming"], figures.code
    assert figures.registered == counted["registered"], figures.code
    assert figures.attended == counted["attended"], figures.code


def board_of(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.context["board"]


def test_every_kecamatan_row_of_the_city_dashboard_matches_an_independent_count(client, world):
    board = board_of(client, world.coordinator, "dashboard:city", "64.74")
    rows = {row.code: row for row in board.rows}
    assert list(rows) == ["64.74.03", "64.74.02", "64.74.01"]  # by name: Barat, Selatan, Utara
    for code, row in rows.items():
        assert_matches(row, expected(code, [4], board.now))
        assert row.forum_formed == forum_formed(code)
    assert_matches(board.total, expected("64.74", [4], board.now))


def test_the_city_dashboard_shows_the_figures_the_data_set_was_built_for(client, world):
    board = board_of(client, world.coordinator, "dashboard:city", "64.74")
    barat, selatan, utara = board.rows
    assert (barat.forum_formed, str(barat.sk_date)) == (True, "2026-03-01")
    assert utara.forum_formed is False  # an SK, but no ketua
    assert (barat.kelurahan_formed, barat.kelurahan_total) == (1, 3)
    assert (utara.kelurahan_formed, utara.kelurahan_total) == (1, 6)
    assert (barat.verified, barat.waiting, utara.verified, utara.waiting) == (3, 1, 1, 2)
    assert barat.state_counts() == [
        (State.SUBMITTED, 1),
        (State.RECOMMENDED, 2),
        (State.ESCALATED, 1),
        (State.ACCEPTED, 1),
        (State.RETURNED, 1),
        (State.DECLINED, 1),
        (State.WITHDRAWN, 1),  # withdrawn after submission; the one never submitted is not seen
    ]
    assert barat.waiting_days(State.RECOMMENDED, board.now) == 3
    assert utara.waiting_days(State.RECOMMENDED, board.now) == 10
    assert (barat.trainings_held, barat.trainings_upcoming) == (1, 2)
    assert (utara.trainings_held, utara.trainings_upcoming) == (1, 0)  # cancelled, draft: no
    assert (selatan.trainings_upcoming, selatan.verified) == (0, 0)  # 120 days away
    assert (barat.registered, barat.attended, barat.attendance_rate) == (4, 3, 75)
    assert (utara.registered, utara.attended, utara.attendance_rate) == (2, 1, 50)
    assert selatan.attendance_rate is None
    total = board.total
    assert (board.formed_rows, total.kelurahan_formed, total.kelurahan_total) == (1, 2, 15)
    assert (total.verified, total.waiting, total.recommended) == (4, 3, 3)
    assert total.waiting_days(State.RECOMMENDED, board.now) == 10
    assert (total.registered, total.attended, total.attendance_rate) == (6, 4, 67)


def test_cadres_per_body_count_verified_cadres_once_per_body(client, world):
    board = board_of(client, world.coordinator, "dashboard:city", "64.74")
    by_name = {body.name: count for body, count in board.total.body_counts(board.bodies)}
    assert by_name["Posyandu"] == 2  # one of Belimbing, one of Bontang Kuala
    assert by_name["PKK"] == 1  # the waiting cadres of Bontang Kuala are not counted
    assert by_name["Karang Taruna"] == 1
    assert by_name["LPM"] == 1  # the rejected cadre is not counted


def test_the_kecamatan_drill_down_matches_an_independent_count_per_kelurahan(client, world):
    board = board_of(client, world.coordinator, "dashboard:city_kecamatan", "64.74", "64.74.03")
    assert {row.code for row in board.rows} == {
        "64.74.03.1001",
        "64.74.03.1002",
        "64.74.03.1003",
    }
    for row in board.rows:
        assert_matches(row, expected(row.code, [], board.now), trainings=False)
        assert row.forum_formed == forum_formed(row.code)
    formed = {row.code: row.forum_formed for row in board.rows}
    assert formed == {"64.74.03.1001": True, "64.74.03.1002": False, "64.74.03.1003": False}
    assert_matches(board.total, expected("64.74.03", [], board.now))
    assert (board.total.trainings_held, board.total.trainings_upcoming) == (1, 2)


def test_the_province_dashboard_has_a_row_per_kota_that_matches_an_independent_count(
    client, world
):
    board = board_of(client, world.staff, "dashboard:province", "64")
    rows = {row.code: row for row in board.rows}
    assert set(rows) == {"64.74", "64.72"}
    for code, row in rows.items():
        assert_matches(row, expected(code, [3, 4], board.now))
    assert (rows["64.74"].kecamatan_formed, rows["64.74"].kecamatan_total) == (1, 3)
    assert (rows["64.72"].kecamatan_formed, rows["64.72"].kelurahan_formed) == (0, 1)
    assert (rows["64.74"].escalated, rows["64.72"].escalated) == (1, 1)
    assert_matches(board.total, expected("64", [3, 4], board.now))


def test_sign_ups_per_month_count_the_last_twelve_months_of_the_areas_cadres(client, world):
    board = board_of(client, world.coordinator, "dashboard:city", "64.74")
    assert len(board.signups) == 12
    first = board.signups[0][0]
    counted = Counter(
        timezone.localtime(r.created_at).strftime("%Y-%m")
        for r in Registration.objects.select_related("profile")
        if within(r.profile.kelurahan_id, "64.74") and r.created_at >= first
    )
    shown = {timezone.localtime(month).strftime("%Y-%m"): n for month, n in board.signups if n}
    assert shown == dict(counted)
    assert sum(counted.values()) == 7  # the sign-up of 400 days ago is out of the window


def test_the_escalation_queue_holds_the_recommended_proposals_of_the_kota_oldest_first(
    client, world
):
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    titles = [proposal.title for proposal, _token in response.context["queue"]]
    assert titles == ["Utara recommended", "Barat recommended", "Barat recommended 2"]
    assert response.context["may_decide"] is True
    assert response.text.count('name="action" value="escalate"') == 3


def test_dinas_staff_read_the_city_queue_without_the_coordinators_buttons(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    assert len(response.context["queue"]) == 3
    assert response.context["may_decide"] is False
    assert 'value="escalate"' not in response.text
    assert response.context["province_url"] == reverse("dashboard:province", args=["64"])


def test_the_province_queue_holds_the_escalated_proposals_and_the_channelled_innovations(
    client, world
):
    client.force_login(world.staff)
    response = client.get(reverse("dashboard:province", args=["64"]))
    titles = {proposal.title for proposal, _token in response.context["queue"]}
    assert titles == {"Barat escalated", "Samarinda escalated"}
    assert [i.title for i in response.context["innovations"]] == ["Bank sampah digital"]
    assert response.text.count('name="action" value="accept"') == 2
    assert reverse("dashboard:city", args=["64.72"]) in response.text


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_exports_hold_the_figures_of_the_page(client, world, kind):
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:city_export", args=["64.74", kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dasbor-64.74-')
    if kind == "csv":
        lines = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        lines = [
            [("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    header, *rows = lines
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_code) == {"64.74.01", "64.74.02", "64.74.03", "64.74"}
    barat = by_code["64.74.03"]
    assert barat["Kecamatan"] == "Bontang Barat"
    assert str(barat["Cadres verified"]) == "3"
    assert str(barat["Recommended by the kecamatan forum"]) == "2"
    assert str(barat["Attendance rate (%)"]) == "75"
    assert str(barat["Longest wait for the Koordinator Kota (days)"]) == "3"
    total = by_code["64.74"]
    assert total["Kecamatan"] == "Total"
    assert str(total["Cadres verified"]) == "4"
    assert str(total["Posyandu"]) == "2"
    # Per area "yes"/"no"; the total row as the page says it, not a bare count.
    assert barat["Forum formed"] == "yes"
    assert total["Forum formed"] == "1 of 3 formed"


@pytest.mark.parametrize("name", ["dashboard:province_export", "dashboard:city_kecamatan_export"])
def test_the_other_exports_answer_in_both_formats(client, world, name):
    args = ["64"] if name == "dashboard:province_export" else ["64.74", "64.74.03"]
    client.force_login(world.staff)
    for kind in ("csv", "xlsx"):
        response = client.get(reverse(name, args=[*args, kind]))
        assert response.status_code == 200
        assert len(response.getvalue()) > 100
    assert client.get(reverse(name, args=[*args, "pdf"])).status_code == 404


def test_a_kelurahan_that_left_the_kemendagri_table_stays_while_it_has_figures(client, world):
    from forkom.territory.models import Region

    Region.objects.filter(code__in=["64.74.03.1002", "64.74.03.1003"]).update(is_active=False)
    board = board_of(client, world.coordinator, "dashboard:city_kecamatan", "64.74", "64.74.03")
    rows = {row.code: row for row in board.rows}
    assert set(rows) == {"64.74.03.1001", "64.74.03.1002"}  # 1003 has no figures
    assert rows["64.74.03.1002"].is_active is False
    assert board.total.verified == 3  # its cadres are still counted
    response = client.get(reverse("dashboard:city_kecamatan", args=["64.74", "64.74.03"]))
    assert "no longer in the Kemendagri table" in response.text


def local_day(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.mark.parametrize(("first", "last"), [(-60, 30), (-400, -100), (-30, -1)])
def test_a_period_reads_the_activity_figures_of_its_days(client, world, first, last):
    """Proposals first submitted, trainings starting (and their seats), sign-ups made in the
    period; cadres and forums as they are now. Each row matches an independent count."""
    client.force_login(world.coordinator)
    start, end = local_day(first), local_day(last)
    response = client.get(
        reverse("dashboard:city", args=["64.74"]), {"dari": start, "sampai": end}
    )
    assert response.status_code == 200
    board = response.context["board"]
    bounds = board.period.bounds()
    assert (board.period.start, board.period.end) == (start, end)
    for row in [*board.rows]:
        assert_matches(row, expected(row.code, [4], board.now, bounds))
    assert_matches(board.total, expected("64.74", [4], board.now, bounds))
    counted = Counter(
        timezone.localtime(r.created_at).strftime("%Y-%m")
        for r in Registration.objects.select_related("profile")
        if within(r.profile.kelurahan_id, "64.74") and bounds[0] <= r.created_at < bounds[1]
    )
    shown = {timezone.localtime(month).strftime("%Y-%m"): n for month, n in board.signups if n}
    assert shown == dict(counted)
    # The drill-down and the downloads carry the period.
    query = f"dari={start.isoformat()}&amp;sampai={end.isoformat()}"
    assert f"/kecamatan/64.74.03/?{query}" in response.text
    assert f"ekspor.csv?{query}" in response.text


def test_a_period_changes_what_the_figures_count(client, world):
    """Not the same figures under another name: the data set holds activity inside and
    outside these periods."""
    client.force_login(world.coordinator)
    url = reverse("dashboard:city", args=["64.74"])
    usual = client.get(url).context["board"].total
    recent = client.get(url, {"dari": local_day(-30), "sampai": local_day(-1)})
    past = client.get(url, {"dari": local_day(-400), "sampai": local_day(-100)})
    recent, past = recent.context["board"].total, past.context["board"].total
    assert sum(past.proposals.values()) == 0 < sum(usual.proposals.values())
    assert (usual.registered, usual.attended) != (past.registered, past.attended) or (
        usual.trainings_held != recent.trainings_held
    )
    assert usual.verified == recent.verified == past.verified  # cadres: as they are now


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"dari": "2026-13-01", "sampai": "2026-12-31"}, "dari"),
        ({"dari": "2026-12-31", "sampai": "2026-01-01"}, "sampai"),
        ({"dari": "2026-01-01"}, None),
        ({"dari": "1900-01-01", "sampai": "2026-01-01"}, "dari"),
        ({"dari": "2000-01-01", "sampai": "2099-01-01"}, "sampai"),
        ({"dari": "99999999-01-01", "sampai": "2026-01-01"}, "dari"),
    ],
)
def test_a_period_that_cannot_be_read_is_refused_beside_its_field(client, world, query, field):
    client.force_login(world.coordinator)
    response = client.get(
        reverse("dashboard:city", args=["64.74"]), query, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["board"].period is None  # the usual figures, with the reason
    if field:
        assert f'id="id_{field}-error"' in response.text
    else:
        assert "Give both the first and the last day, or neither." in response.text
    export = client.get(reverse("dashboard:city_export", args=["64.74", "csv"]), query)
    assert export.status_code == 400


def test_the_export_holds_the_period_s_figures(client, world):
    client.force_login(world.coordinator)
    period = {"dari": local_day(-400), "sampai": local_day(-100)}
    response = client.get(reverse("dashboard:city_export", args=["64.74", "csv"]), period)
    assert response.status_code == 200
    assert "periode" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    header, total = rows[0], rows[-1]
    assert (
        "Trainings held in the period" in header or "Pelatihan terlaksana dalam periode" in header
    )
    submitted = header.index(str(State.SUBMITTED.label))
    assert total[submitted] == "0"


def test_a_period_costs_the_queries_of_the_usual_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse("dashboard:city", args=["64.74"])
    client.get(url)  # the session's first read out of the way
    with CaptureQueriesContext(connection) as usual:
        client.get(url)
    with CaptureQueriesContext(connection) as period:
        client.get(url, {"dari": local_day(-60), "sampai": local_day(30)})
    assert len(period) == len(usual)


def test_the_province_dashboard_leads_to_the_kota_for_the_same_period(client, world):
    client.force_login(world.staff)
    period = {"dari": local_day(-60), "sampai": local_day(30)}
    response = client.get(reverse("dashboard:province", args=["64"]), period)
    assert response.status_code == 200
    query = f"dari={period['dari'].isoformat()}&amp;sampai={period['sampai'].isoformat()}"
    assert f"/dasbor/kota/64.74/?{query}" in response.text


def test_a_row_reads_its_forum_afresh_and_for_the_day(client, world, monkeypatch):
    """The rows' query is kept per day (dashboard.selectors._rows), never its rows: a
    ketua's term that ends today still counts today, and no longer tomorrow."""
    barat = board_of(client, world.coordinator, "dashboard:city", "64.74").rows[0]
    assert (barat.code, barat.forum_formed) == ("64.74.03", True)
    ketua = RoleAssignment.objects.current().get(region_id="64.74.03", position=Position.KETUA)
    today = timezone.localdate()
    RoleAssignment.objects.filter(pk=ketua.pk).update(ends_on=today)
    assert board_of(client, world.coordinator, "dashboard:city", "64.74").rows[0].forum_formed
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    barat = board_of(client, world.coordinator, "dashboard:city", "64.74").rows[0]
    assert (barat.code, barat.forum_formed) == ("64.74.03", False)
