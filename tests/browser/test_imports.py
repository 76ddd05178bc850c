"""A kecamatan officer imports cadres from a sheet at 360 px and on a desktop: the template,
an upload with three good rows and two bad ones, the check, the refused rows downloaded,
the sheet fixed and uploaded again, confirmed; the cadres wait for verification."""

import io

import pytest
from openpyxl import load_workbook

from cadres.models import Body, CadreProfile
from forkom.accounts.models import Position, Role
from tests.browser.helpers import check, open_menu, sign_in
from tests.cadres.factories import make_nik
from tests.cadres.test_import import row, xlsx
from tests.conftest import make_persona


def read(download):
    sheet = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).active
    return [list(line) for line in sheet.values]


@pytest.mark.parametrize("width", [360, 1280])
def test_an_officer_imports_a_sheet_after_fixing_the_refused_rows(
    page, live_server_url, bontang, assert_accessible, tmp_path, settings, width
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size({"width": width, "height": 900})
    make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA, email="ketua@test.forkom.id")
    Body.objects.get_or_create(name="Posyandu")  # a live-server test may have emptied it
    sign_in(page, live_server_url, "ketua@test.forkom.id")

    open_menu(page, "nav a[href='/kader/impor/']").click()
    page.wait_for_url("**/kader/impor/")
    if width == 360:
        check(page, assert_accessible)
    with page.expect_download() as template:
        page.locator("a[href='/kader/impor/templat.xlsx']").click()
    assert read(template.value)[0][:2] == ["NIK", "Nama Lengkap"]

    good = [row(nik=make_nik(), name=f"Kader {letter}") for letter in "ABC"]
    bad = [row(nik="123", name="Kader D"), row(nik=make_nik(), name="Kader E", phone="021-555")]
    sheet = tmp_path / "kader.xlsx"
    sheet.write_bytes(xlsx(good + bad).getvalue())
    page.set_input_files("input[name='file']", str(sheet))
    page.check("input[name='consent']")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url("**/kader/impor/*/")
    assert page.locator("table tbody tr").count() == 2  # the refused rows, with the reasons
    assert page.locator("form[action$='/konfirmasi/']").count() == 0
    if width == 360:
        check(page, assert_accessible)

    with page.expect_download() as rejected:
        page.locator("a[href$='ditolak.xlsx']").click()
    lines = read(rejected.value)
    assert [line[:2] for line in lines[1:]] == [[5, "NIK"], [6, "No HP"]]

    # Fixed in the sheet, which is uploaded again.
    bad[0][0], bad[1][5] = make_nik(), "0812-1111-2222"
    sheet.write_bytes(xlsx(good + bad).getvalue())
    page.goto(live_server_url + "/kader/impor/")
    page.set_input_files("input[name='file']", str(sheet))
    page.check("input[name='consent']")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url("**/kader/impor/*/")
    page.locator("form[action$='/konfirmasi/'] button[type='submit']").click()
    page.wait_for_url("**/kader/impor/*/")
    assert set(CadreProfile.objects.values_list("status", flat=True)) == {"waiting"}
    assert CadreProfile.objects.count() == 5

    page.goto(live_server_url + "/kader/daftar-kader/?status=waiting")
    assert "Kader D" in page.content()
    if width == 360:
        check(page, assert_accessible)
