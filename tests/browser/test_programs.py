"""A proposal's whole journey on a phone: a cadre drafts and submits it, the kecamatan forum
recommends it, the Koordinator Kota escalates it, Dinas staff accept it, and the cadre reads
the timeline. Every page fits 360 px, passes axe and keeps to the CSP."""

from playwright.sync_api import expect

from forkom.accounts.models import Position, Role
from programs.innovations import services as innovation_services
from programs.models import Proposal
from tests.browser.helpers import assert_fits_the_phone, check, indonesian, sign_in
from tests.conftest import make_persona, make_user, picture
from tests.programs.factories import make_proposal, make_verified_profile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def decide(page, base, email, action, note, assert_accessible):
    """A reviewer opens what waits for them, and takes the proposal one step further."""
    sign_in(page, base, email)
    page.goto(base + "/usulan/menunggu/")
    check(page, assert_accessible)
    page.get_by_role("link", name="Bank sampah RT 07").click()
    page.wait_for_url("**/usulan/*-*/")
    check(page, assert_accessible)
    page.fill("#decide-note", note)
    page.locator(f"button[name='action'][value='{action}']").click()
    page.wait_for_url("**/usulan/*-*/")
    expect(page.locator(".messages")).to_be_visible()
    check(page, assert_accessible)


def next_step(page, assert_accessible, number):
    """Save this step and land on the next, which says where the cadre is."""
    page.locator("form.proposal-form button[value='next']").click()
    page.wait_for_url(f"**/ubah/?langkah={number}")
    expect(page.locator(".stepper-progress")).to_have_text(f"Langkah {number} dari 6")
    check(page, assert_accessible)


def test_a_proposal_travels_from_a_cadre_on_a_phone_to_the_province(
    page, live_server_url, bontang, assert_accessible
):
    base = live_server_url
    cadre = make_user("kader.usul@test.forkom.id")
    make_verified_profile(cadre, full_name="Siti Rahmawati")
    make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS, email="sekretaris@test.forkom.id"
    )
    make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator@test.forkom.id")
    make_persona(Role.DINAS_STAFF, "64", email="dinas@test.forkom.id")

    sign_in(page, base, "kader.usul@test.forkom.id")
    page.goto(base + "/usulan/")
    check(page, assert_accessible)
    page.locator("a[href='/usulan/baru/']").click()
    page.wait_for_url("**/usulan/baru/")
    check(page, assert_accessible)
    # Written in steps, one part per page, each saved as a draft before the next.
    expect(page.locator(".stepper-progress")).to_have_text("Langkah 1 dari 6")
    page.fill("input[name='title']", "Bank sampah RT 07")
    page.fill("textarea[name='summary']", "Warga memilah sampah dan menabung hasilnya.")
    next_step(page, assert_accessible, 2)
    page.fill("textarea[name='problem']", "Sampah plastik menumpuk di saluran air.")
    page.fill("textarea[name='needs']", "Timbangan, karung, pelatihan pengelola.")
    page.fill("textarea[name='resources']", "Gudang milik RT.")
    next_step(page, assert_accessible, 3)
    page.fill("textarea[name='goals']", "Sampah berkurang, warga punya tabungan.")
    page.fill("textarea[name='activities']", "Sosialisasi, pelatihan, penimbangan mingguan.")
    page.fill("input[name='target_group']", "Warga RT 07")
    page.fill("input[name='beneficiaries']", "120")
    page.select_option("select[name='location']", "64.74.03.1002")
    page.fill("input[name='starts_on']", "2027-03-01")
    page.fill("input[name='ends_on']", "2027-08-31")
    page.fill("input[name='budget']", "Rp 12.500.000")
    next_step(page, assert_accessible, 4)
    page.check("input[name='aid_training']")
    page.fill("input[name='aid_training_amount']", "2.500.000")
    page.check("input[name='aid_csr']")
    page.fill("input[name='aid_csr_note']", "Timbangan dari perusahaan")
    next_step(page, assert_accessible, 5)
    next_step(page, assert_accessible, 6)
    expect(page.locator(".stepper li.done")).to_have_count(4)
    # The budget plan is chosen while writing, and saved with the draft.
    page.set_input_files(
        "input[name='files']",
        {"name": "RAB bank sampah.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    assert_fits_the_phone(page)
    page.locator("form.proposal-form button[value='done']").click()
    page.wait_for_url("**/usulan/*-*/")
    expect(page.locator("h1")).to_have_text("Bank sampah RT 07")
    expect(page.locator(".proposal-facts")).to_contain_text("Rp 12.500.000")
    expect(page.locator(".proposal-files")).to_contain_text("RAB bank sampah.pdf")
    check(page, assert_accessible)
    page.locator("button[name='action'][value='submit']").click()
    page.wait_for_url("**/usulan/*-*/")
    expect(page.locator(".status")).to_have_text(indonesian("Submitted to the kecamatan forum"))
    check(page, assert_accessible)
    # Under review, a letter that came later goes in as an additional document.
    page.set_input_files(
        "form.attach-form input[type='file']",
        {"name": "Surat dukungan lurah.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    page.locator("form.attach-form button[type='submit']").click()
    page.wait_for_url("**/usulan/*-*/#attachments")
    expect(page.locator(".proposal-timeline")).to_contain_text("Surat dukungan lurah.pdf")
    check(page, assert_accessible)

    decide(
        page,
        base,
        "sekretaris@test.forkom.id",
        "recommend",
        "Sesuai prioritas.",
        assert_accessible,
    )
    decide(
        page, base, "koordinator@test.forkom.id", "escalate", "Layak didanai.", assert_accessible
    )
    decide(page, base, "dinas@test.forkom.id", "accept", "Masuk program 2027.", assert_accessible)

    sign_in(page, base, "kader.usul@test.forkom.id")
    page.goto(base + "/usulan/")
    page.get_by_role("link", name="Bank sampah RT 07").click()
    page.wait_for_url("**/usulan/*-*/")
    expect(page.locator(".status")).to_have_text(
        indonesian("Accepted into the provincial programme")
    )
    timeline = page.locator(".proposal-timeline li")
    expect(timeline).to_have_count(6)
    for note in ("Sesuai prioritas.", "Layak didanai.", "Masuk program 2027."):
        expect(page.locator(".proposal-timeline")).to_contain_text(note)
    expect(page.locator("button[name='action']")).to_have_count(0)
    check(page, assert_accessible)
    assert Proposal.objects.get().state == Proposal.State.ACCEPTED


def test_a_visitor_on_a_phone_browses_the_innovation_gallery(
    page, live_server_url, bontang, assert_accessible
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forkom.territory.models import Region

    cadre = make_user()
    make_verified_profile(cadre, full_name="Siti Rahmawati")
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)
    innovation = innovation_services.record_innovation(
        actor=cadre,
        title="Dodol rumput laut",
        description="Ibu-ibu nelayan mengolah rumput laut menjadi dodol.",
        kelurahan=Region.objects.get(code="64.74.03.1001"),
        results="300 bungkus per bulan.",
        impact="20 keluarga mendapat tambahan penghasilan.",
    )
    png = picture("PNG", size=(1, 1))
    innovation_services.attach_photo(
        actor=cadre,
        innovation=innovation,
        upload=SimpleUploadedFile("foto.png", png),
        caption="Pengemasan dodol",
    )
    innovation_services.publish_innovation(actor=officer, innovation=innovation)

    page.goto(live_server_url + "/usulan/inovasi/")
    check(page, assert_accessible)
    page.get_by_role("link", name="Dodol rumput laut").click()
    page.wait_for_url("**/usulan/inovasi/*-*/")
    expect(page.locator("h1")).to_have_text("Dodol rumput laut")
    expect(page.locator("meta[property='og:title']")).to_have_attribute(
        "content", "Dodol rumput laut"
    )
    expect(page.locator("a[href^='https://wa.me/?text=']")).to_be_visible()
    expect(page.locator(".innovation-photos img")).to_have_attribute("alt", "Pengemasan dodol")
    check(page, assert_accessible)


def test_a_cadre_discards_a_draft_on_a_phone(page, live_server_url, bontang, assert_accessible):
    """A draft nobody else has seen is discarded by its proposer from its page ("Hapus draf
    ini"), and is gone from "Usulan saya"."""
    base = live_server_url
    cadre = make_user("kader.draf@test.forkom.id")
    make_verified_profile(cadre, full_name="Siti Rahmawati")
    draft = make_proposal(cadre, title="Kebun gizi RT 03")

    sign_in(page, base, "kader.draf@test.forkom.id")
    page.goto(base + "/usulan/")
    page.get_by_role("link", name="Kebun gizi RT 03").click()
    page.wait_for_url(f"**{draft.get_absolute_url()}")
    check(page, assert_accessible)
    # Only discarding is offered for a draft, folded until asked for.
    expect(page.locator("button[value='withdraw']")).to_have_count(0)
    page.get_by_text("Hapus draf ini").click()
    check(page, assert_accessible)
    page.locator("button[name='action'][value='discard']").click()
    page.wait_for_url("**/usulan/")
    expect(page.locator(".messages")).to_contain_text("Draf telah dihapus.")
    expect(page.get_by_role("link", name="Kebun gizi RT 03")).to_have_count(0)
    check(page, assert_accessible)
    assert not Proposal.objects.filter(pk=draft.pk).exists()
