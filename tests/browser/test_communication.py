"""The forum communicates, on a phone at 360 px: the sekretaris of the Bontang Barat forum
calls a meeting, an invited cadre answers hadir from her inbox, the sekretaris records the
attendance and the minutes, the cadre reads them; then the Koordinator Kota publishes an
announcement to Bontang Barat's Posyandu cadres and only they find it in their inbox. Every
page fits the phone, passes axe and carries no script (it works without JavaScript)."""

from datetime import timedelta

from django.utils import timezone

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.models import Body, Meeting, MeetingInvitation
from forkom.accounts.models import Position, Role
from forkom.notifications.models import Notification
from forkom.territory.models import Region
from tests.browser.helpers import check, sign_in
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user


def cadre(email, kelurahan, body, officer):
    profile = make_profile(
        user=make_user(email), kelurahan=kelurahan, memberships=[(body, "Kader", 2019)]
    )
    return cadre_services.verify_cadre(actor=officer, profile=profile)


def no_script(page):
    assert page.locator("script").count() == 0, page.url


def open_newest_notification(page, base):
    page.goto(base + "/notifikasi/")
    no_script(page)
    page.locator("ol.notifications li.unread form button").first.click()


def test_a_meeting_and_an_announcement_reach_the_right_cadres(
    page, live_server_url, bontang, assert_accessible
):
    base = live_server_url
    sekretaris = make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS, email="sek@test.forkom.id"
    )
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koor@test.forkom.id")
    posyandu, _ = Body.objects.get_or_create(name="Posyandu")
    karang_taruna, _ = Body.objects.get_or_create(name="Karang Taruna")
    ani = cadre("ani@test.forkom.id", "64.74.03.1001", posyandu, sekretaris)
    staff = make_persona(Role.DINAS_STAFF, "64", email="staf@test.forkom.id")
    # Budi serves in Karang Taruna, Citra in Posyandu of Bontang Utara: not addressed.
    cadre("budi@test.forkom.id", "64.74.03.1002", karang_taruna, staff)
    cadre("citra@test.forkom.id", "64.74.01.1001", posyandu, staff)
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    forum_services.add_member(actor=sekretaris, forum=forum, profile=ani)

    # The sekretaris calls the forum's meeting; Ani and the sekretaris are invited.
    sign_in(page, base, "sek@test.forkom.id")
    page.goto(base + "/rapat/")
    check(page, assert_accessible)
    page.locator("a[href='/rapat/baru/?wilayah=64.74.03']").click()
    page.wait_for_url(base + "/rapat/baru/?wilayah=64.74.03")
    check(page, assert_accessible)
    no_script(page)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("input[name='title']", "Rapat pengurus Bontang Barat")
    page.fill("textarea[name='agenda']", "Laporan kegiatan\nRencana pelatihan")
    page.fill("input[name='place']", "Aula Kecamatan Bontang Barat")
    page.fill("input[name='day']", tomorrow.isoformat())
    page.fill("input[name='starts']", "09:00")
    page.fill("input[name='ends']", "11:00")
    assert page.locator(f"input[name='invitees'][value='{ani.user_id}']").is_checked()
    page.locator("main form button[type='submit']").click()
    meeting = Meeting.objects.get()
    page.wait_for_url(base + meeting.get_absolute_url())
    check(page, assert_accessible)

    # Ani answers hadir from her inbox.
    sign_in(page, base, "ani@test.forkom.id")
    # Unread: her verification, and the invitation.
    assert page.locator(".site-menu summary .count").inner_text().startswith("2")
    open_newest_notification(page, base)
    page.wait_for_url(base + meeting.get_absolute_url())
    check(page, assert_accessible)
    page.locator("button[name='answer'][value='hadir']").click()
    page.wait_for_url(base + meeting.get_absolute_url())
    assert MeetingInvitation.objects.get(meeting=meeting, user=ani.user).answer == "hadir"

    # The meeting is held; the sekretaris records who came and the minutes, and publishes.
    held = timezone.now() - timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=held, ends_at=held + timedelta(hours=2))
    sign_in(page, base, "sek@test.forkom.id")
    page.goto(base + meeting.get_absolute_url())
    page.locator(f"a[href='/rapat/{meeting.public_id}/notulen/']").click()
    page.wait_for_url(base + f"/rapat/{meeting.public_id}/notulen/")
    check(page, assert_accessible)
    no_script(page)
    ani_invitation = MeetingInvitation.objects.get(meeting=meeting, user=ani.user)
    assert page.locator(f"input[name='attended'][value='{ani_invitation.pk}']").is_checked()
    page.fill("textarea[name='minutes']", "Laporan kegiatan diterima forum.")
    page.fill("textarea[name='decisions']", "Pelatihan digelar bulan depan")
    page.fill("input[name='followup-0-text']", "Menyusun daftar peserta")
    page.select_option("select[name='followup-0-responsible']", str(ani_invitation.pk))
    page.fill("input[name='followup-0-due_on']", (tomorrow + timedelta(days=14)).isoformat())
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(base + meeting.get_absolute_url())
    page.locator(f"form[action='/rapat/{meeting.public_id}/terbitkan-notulen/'] button").click()
    page.wait_for_url(base + meeting.get_absolute_url())
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED
    attended = dict(meeting.invitations.values_list("user_id", "attended"))
    assert attended == {ani.user_id: True, sekretaris.pk: False}

    # Ani reads the minutes, and finds her follow-up on her home.
    sign_in(page, base, "ani@test.forkom.id")
    check(page, assert_accessible)
    assert "Menyusun daftar peserta" in page.locator("main").inner_text()
    open_newest_notification(page, base)
    page.wait_for_url(base + meeting.get_absolute_url())
    assert "Laporan kegiatan diterima forum." in page.locator("main").inner_text()
    check(page, assert_accessible)

    # The Koordinator Kota writes to Bontang Barat's Posyandu cadres only.
    sign_in(page, base, "koor@test.forkom.id")
    page.goto(base + "/pengumuman/tulis/")
    check(page, assert_accessible)
    no_script(page)
    page.fill("input[name='title']", "Jadwal Posyandu bulan depan")
    page.fill("textarea[name='text']", "Mohon hadir di kantor kelurahan.")
    page.select_option("select[name='region']", "64.74.03")
    page.check("input[name='audience'][value='cadres']")
    page.check(f"input[name='bodies'][value='{posyandu.pk}']")
    page.locator("button[name='publish']").click()
    page.wait_for_url(lambda url: "/pengumuman/" in url and "/tulis/" not in url)
    check(page, assert_accessible)

    reached = set(
        Notification.objects.filter(kind="announcement").values_list("user_id", flat=True)
    )
    assert reached == {ani.user_id}
    sign_in(page, base, "ani@test.forkom.id")
    page.goto(base + "/notifikasi/")
    assert "Jadwal Posyandu bulan depan" in page.locator("main").inner_text()
    for other in ("budi@test.forkom.id", "citra@test.forkom.id"):
        sign_in(page, base, other)
        page.goto(base + "/notifikasi/")
        assert "Jadwal Posyandu" not in page.locator("main").inner_text()
        page.goto(base + "/pengumuman/")
        assert "Jadwal Posyandu" not in page.locator("main").inner_text()
