import csv
import io
import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import CadreProfile, Field
from forkom.accounts.models import Role
from programs import services
from programs.models import AidKind, Comment, Proposal, ProposalEvent
from tests.conftest import make_persona, streamed
from tests.programs.factories import make_proposal, make_verified_profile

State = Proposal.State


def proposal_form(**overrides):
    form = {
        "title": "Bank sampah RT 07",
        "summary": "Warga memilah sampah dan menabung hasilnya.",
        "problem": "Sampah plastik menumpuk di saluran air.",
        "needs": "Timbangan, karung, pelatihan pengelola.",
        "resources": "Gudang milik RT.",
        "goals": "Sampah berkurang, warga dapat tabungan.",
        "activities": "Sosialisasi, pelatihan, penimbangan mingguan.",
        "target_group": "Warga RT 07",
        "beneficiaries": "120",
        "location": "64.74.03.1001",
        "field": "",
        "starts_on": "2027-03-01",
        "ends_on": "2027-08-31",
        "budget": "Rp 12.500.000",
        "aid_training": "on",
        "aid_training_amount": "2.500.000",
        "aid_training_note": "Pelatih DLH",
        "aid_csr": "on",
        "aid_csr_amount": "",
        "aid_csr_note": "Timbangan dari perusahaan",
        "token": str(uuid.uuid4()),
    }
    form.update(overrides)
    return form


def move(client, proposal, action, note="", token=None):
    return client.post(
        reverse("programs:transition", args=[proposal.public_id]),
        {"action": action, "note": note, "token": str(token or uuid.uuid4())},
    )


@pytest.fixture
def submitted(proposer):
    return services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))


def test_a_cadre_drafts_a_proposal_with_rupiah_as_people_write_it_and_submits_it(client, proposer):
    client.force_login(proposer)
    response = client.get(reverse("programs:mine"))
    assert reverse("programs:create") in response.text
    response = client.get(reverse("programs:create") + "?langkah=semua")
    assert response.status_code == 200
    assert "Kanaan" in response.text  # a kelurahan of the same kecamatan
    assert "Bontang Kuala" not in response.text  # not another kecamatan's
    response = client.post(reverse("programs:create"), proposal_form())
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.budget) == (State.DRAFT, 12_500_000)
    assert sorted(proposal.aids.values_list("kind", "amount", "note")) == [
        ("csr", None, "Timbangan dari perusahaan"),
        ("training", 2_500_000, "Pelatih DLH"),
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get(response["Location"])
    assert "Rp 12.500.000" in response.text  # Indonesian grouping
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'value="submit"' in response.text
    response = move(client, proposal, "submit")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    response = client.get(reverse("programs:mine"))
    assert "Bank sampah RT 07" in response.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget": "12.500.000,50"}, "budget"),
        ({"budget": "dua juta"}, "budget"),
        ({"ends_on": "2027-01-01"}, "ends_on"),
        ({"location": "64.74.01.1001"}, "location"),
        ({"title": ""}, "title"),
    ],
)
def test_a_wrong_form_is_answered_400_with_the_reason_and_saves_nothing(
    client, proposer, overrides, field
):
    client.force_login(proposer)
    response = client.post(reverse("programs:create"), proposal_form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_simpan_draf_saves_a_draft_with_only_its_title(client, proposer):
    """The page promises a draft: only the title is needed; the proposal's page then says
    what it still needs before it can be submitted."""
    client.force_login(proposer)
    response = client.post(
        reverse("programs:create"), {"title": "Bank sampah RT 07", "token": str(uuid.uuid4())}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "still needs" in page.text
    # What is not there yet is said so, not shown as "None", a lone comma or a lone dash.
    facts = page.text.split('<dl class="proposal-facts">')[1].split("</dl>")[0]
    assert "None" not in facts
    assert "<dd>, " not in facts
    assert " \u2013 </dd>" not in facts
    # The kelurahan, period, budget, target group and beneficiaries.
    assert facts.count("not filled in yet") == 5
    refused = move(client, proposal, "submit")
    assert refused.status_code == 400
    assert 'id="decide-note-error"' in refused.text
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFT


def test_a_cadre_not_yet_verified_is_told_why_they_cannot_propose(client, cadre):
    client.force_login(cadre)
    response = client.get(reverse("programs:create"))
    assert response.status_code == 403
    assert "Only a verified cadre can propose a programme." in response.text


def test_the_kecamatan_officer_finds_it_waiting_and_recommends_it(
    client, submitted, kecamatan_officer
):
    kecamatan_officer.first_name, kecamatan_officer.last_name = "Rina", "Pengurus"
    kecamatan_officer.save()
    client.force_login(kecamatan_officer)
    response = client.get(reverse("programs:waiting"))
    assert submitted.title in response.text
    response = client.get(submitted.get_absolute_url())
    for action in ("recommend", "return", "decline"):
        assert f'value="{action}"' in response.text
    assert 'value="escalate"' not in response.text
    response = move(client, submitted, "recommend", "Layak.")
    assert response.status_code == 302
    assert Proposal.objects.get().state == State.RECOMMENDED
    assert submitted.title not in client.get(reverse("programs:waiting")).text
    # The timeline names who acted and as what, without brackets in brackets ("Siti (Cadre
    # (kader))"): the English role names carry the Indonesian one in brackets.
    page = client.get(submitted.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Rina Pengurus · Forum officer (pengurus forum)" in page
    assert "))" not in page


def test_a_returned_proposal_shows_the_reviewers_note_at_the_top(
    client, submitted, kecamatan_officer, proposer
):
    client.force_login(kecamatan_officer)
    response = move(client, submitted, "return", "Tambahkan rincian anggaran.")
    assert response.status_code == 302
    client.force_login(proposer)
    for url in (
        submitted.get_absolute_url(),
        reverse("programs:edit", args=[submitted.public_id]),
    ):
        text = client.get(url).text
        assert "Returned for revision by the kecamatan forum." in text or ("Dikembalikan" in text)
        note_at = text.index("Tambahkan rincian anggaran.")
        assert note_at < text.index("<h1>")


def test_returning_without_a_note_is_refused_with_400_and_changes_nothing(
    client, submitted, kecamatan_officer
):
    client.force_login(kecamatan_officer)
    response = move(client, submitted, "return", "")
    assert response.status_code == 400
    assert Proposal.objects.get().state == State.SUBMITTED
    assert ProposalEvent.objects.count() == 2
    # The reason stands beside the note field on the proposal's own page, not on a page of
    # its own: the officer writes the note and decides again.
    assert response.templates[0].name == "programs/detail.html"
    assert 'aria-describedby="decide-note-error"' in response.text
    assert 'id="decide-note-error"' in response.text


def test_a_refused_decision_keeps_the_note_as_typed(client, submitted, kecamatan_officer):
    client.force_login(kecamatan_officer)
    response = move(client, submitted, "bogus", "Catatan panjang untuk pengusul")
    assert response.status_code == 400
    assert "Catatan panjang untuk pengusul</textarea>" in response.text


def test_a_double_click_records_one_event(client, submitted, kecamatan_officer):
    client.force_login(kecamatan_officer)
    token = uuid.uuid4()
    first = move(client, submitted, "recommend", token=token)
    second = move(client, submitted, "recommend", token=token)
    assert (first.status_code, second.status_code) == (302, 302)
    assert ProposalEvent.objects.filter(after=State.RECOMMENDED).count() == 1
    assert submitted.events.count() == 3


def test_a_second_tab_is_told_the_proposal_has_moved_on(client, submitted, kecamatan_officer):
    client.force_login(kecamatan_officer)
    assert move(client, submitted, "recommend").status_code == 302
    response = move(client, submitted, "decline", "Tidak sesuai.")
    assert response.status_code == 409
    assert "The proposal has moved on" in response.text
    assert Proposal.objects.get().state == State.RECOMMENDED


def test_an_unknown_action_or_a_missing_token_is_a_bad_request(
    client, submitted, kecamatan_officer
):
    client.force_login(kecamatan_officer)
    url = reverse("programs:transition", args=[submitted.public_id])
    assert client.post(url, {"action": "approve", "token": str(uuid.uuid4())}).status_code == 400
    assert client.post(url, {"action": "recommend"}).status_code == 400
    assert client.get(url).status_code == 405
    assert Proposal.objects.get().state == State.SUBMITTED


def test_drafts_stay_with_their_proposer(client, proposer, kecamatan_officer, coordinator):
    draft = make_proposal(proposer)
    for reviewer in (kecamatan_officer, coordinator):
        client.force_login(reviewer)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert draft.title not in client.get(reverse("programs:list")).text


def test_the_team_sees_the_proposal_but_only_the_proposer_edits_it(client, proposer, teammate):
    proposal = make_proposal(proposer, team=[CadreProfile.objects.get(user=teammate)])
    client.force_login(teammate)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert 'value="submit"' not in response.text
    assert proposal.title in client.get(reverse("programs:mine")).text
    assert client.get(reverse("programs:edit", args=[proposal.public_id])).status_code == 403
    assert move(client, proposal, "submit").status_code == 403
    assert Proposal.objects.get().state == State.DRAFT


def test_a_proposal_outside_the_viewers_region_does_not_exist_for_them(
    client, submitted, outsider, other_kecamatan_officer
):
    for user in (outsider, other_kecamatan_officer):
        client.force_login(user)
        assert client.get(submitted.get_absolute_url()).status_code == 404
        assert move(client, submitted, "recommend").status_code == 404
        url = reverse("programs:comment", args=[submitted.public_id])
        assert client.post(url, {"body": "Halo", "token": str(uuid.uuid4())}).status_code == 404
        response = client.get(reverse("programs:list"))
        assert response.context["page"].paginator.count == 0
        assert client.get(reverse("programs:waiting")).context["page"].paginator.count == 0
    assert Proposal.objects.get().state == State.SUBMITTED
    assert not Comment.objects.exists()


def test_proposer_and_reviewers_discuss_on_the_proposal_page(
    client, submitted, proposer, kecamatan_officer
):
    client.force_login(kecamatan_officer)
    url = reverse("programs:comment", args=[submitted.public_id])
    token = str(uuid.uuid4())
    response = client.post(url, {"body": "Berapa harga timbangan?", "token": token})
    assert response.status_code == 302
    client.post(url, {"body": "Berapa harga timbangan?", "token": token})
    assert Comment.objects.count() == 1
    client.force_login(proposer)
    client.post(url, {"body": "Rp 1.500.000 per unit.", "token": str(uuid.uuid4())})
    text = client.get(submitted.get_absolute_url()).text
    assert text.index("Berapa harga timbangan?") < text.index("Rp 1.500.000 per unit.")
    comments = list(Comment.objects.order_by("pk"))
    assert [comment.author_role for comment in comments] == [Role.FORUM_OFFICER, Role.CADRE]
    assert comments[1].author_name == "Siti Rahmawati"
    assert client.post(url, {"body": " ", "token": str(uuid.uuid4())}).status_code == 400


def test_nobody_sees_an_email_address_on_the_timeline(
    client, submitted, kecamatan_officer, proposer
):
    client.force_login(kecamatan_officer)
    move(client, submitted, "return", "Perbaiki.")
    client.force_login(proposer)
    text = client.get(submitted.get_absolute_url()).text
    assert kecamatan_officer.email not in text
    assert "Forum officer (pengurus forum)" in text


def test_the_list_filters_by_state_kecamatan_aid_field_and_period_and_searches(
    client, proposer, kecamatan_officer, coordinator, staff
):
    health = Field.objects.get(name="Kesehatan")
    other = make_persona(Role.CADRE, "64.74.01.1001")
    make_verified_profile(other, kelurahan="64.74.01.1001", full_name="Budi Santoso")
    first = services.submit_proposal(
        actor=proposer,
        proposal=make_proposal(proposer, title="Posyandu remaja", field=health),
    )
    second = services.submit_proposal(
        actor=other,
        proposal=make_proposal(
            other,
            title="Kampung nelayan",
            kelurahan="64.74.01.1002",
            aids=[("bank_loan", 50_000_000, "KUR")],
        ),
    )
    services.recommend_proposal(actor=kecamatan_officer, proposal=first)
    client.force_login(coordinator)

    def titles(**query):
        response = client.get(reverse("programs:list"), query)
        assert response.status_code == 200
        return sorted(proposal.title for proposal in response.context["page"].object_list)

    assert titles() == ["Kampung nelayan", "Posyandu remaja"]
    assert titles(state="recommended") == ["Posyandu remaja"]
    assert titles(kecamatan="64.74.01") == ["Kampung nelayan"]
    assert titles(kelurahan="64.74.01.1002") == ["Kampung nelayan"]
    assert titles(aid="bank_loan") == ["Kampung nelayan"]
    assert titles(aid="training") == ["Posyandu remaja"]
    assert titles(field=health.pk) == ["Posyandu remaja"]
    assert titles(q="kampung") == ["Kampung nelayan"]
    assert titles(q="siti") == ["Posyandu remaja"]
    assert titles(period_from="2027-06-01") == []
    assert titles(period_from="2027-05-01", period_until="2027-05-31") == [
        "Kampung nelayan",
        "Posyandu remaja",
    ]
    assert second.title in titles()
    # A kecamatan outside the viewer's region is not a choice: 400, not its proposals.
    client.force_login(kecamatan_officer)
    response = client.get(reverse("programs:list"), {"kecamatan": "64.74.01"})
    assert response.status_code == 400


def test_the_exports_hold_the_rows_of_the_list_and_no_more(
    client, proposer, kecamatan_officer, other_kecamatan_officer
):
    other = make_persona(Role.CADRE, "64.74.01.1001")
    make_verified_profile(other, kelurahan="64.74.01.1001")
    services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, title='=HYPERLINK("http://x")')
    )
    services.submit_proposal(
        actor=other,
        proposal=make_proposal(other, title="Kampung nelayan", kelurahan="64.74.01.1002"),
    )
    client.force_login(kecamatan_officer)
    response = client.get(reverse("programs:export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert len(lines) == 2
    assert lines[1][1] == '\'=HYPERLINK("http://x")'
    assert "Kampung nelayan" not in str(lines)
    assert "Siti Rahmawati" in lines[1]
    assert CadreProfile.objects.get(user=proposer).nik not in str(lines)

    response = client.get(reverse("programs:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.values)
    assert len(values) == 2
    assert values[1][1] == '\'=HYPERLINK("http://x")'
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert values[1][9] == 12_500_000

    client.force_login(other_kecamatan_officer)
    response = client.get(reverse("programs:export", args=["csv"]), {"state": "submitted"})
    lines = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["Kampung nelayan"]
    assert client.get(reverse("programs:export", args=["pdf"])).status_code == 404


def test_waiting_for_me_is_oldest_first_with_how_long_it_waited(
    client, proposer, kecamatan_officer, coordinator, staff
):
    first = services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, title="Satu")
    )
    second = services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, title="Dua")
    )
    Proposal.objects.filter(pk=first.pk).update(state_changed_at="2026-01-01T08:00+08:00")
    client.force_login(kecamatan_officer)
    response = client.get(reverse("programs:waiting"))
    assert [p.title for p in response.context["page"].object_list] == ["Satu", "Dua"]
    assert second.title in response.text
    # Only the step each reviewer acts on: the coordinator and staff have nothing yet.
    for reviewer in (coordinator, staff):
        client.force_login(reviewer)
        assert client.get(reverse("programs:waiting")).context["page"].paginator.count == 0


def test_a_kelurahan_officer_sees_the_proposals_of_the_kelurahan_but_decides_nothing(
    client, kelurahan_officer, proposer
):
    proposal = services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, kelurahan="64.74.03.1001")
    )
    client.force_login(kelurahan_officer)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert 'value="recommend"' not in response.text
    assert client.get(reverse("programs:waiting")).context["page"].paginator.count == 0
    assert move(client, proposal, "recommend").status_code == 403


def test_the_menu_of_the_app_shows_the_reviewer_lists_to_reviewers_only(
    client, proposer, kecamatan_officer
):
    client.force_login(proposer)
    assert reverse("programs:waiting") not in client.get(reverse("programs:mine")).text
    client.force_login(kecamatan_officer)
    assert reverse("programs:waiting") in client.get(reverse("programs:mine")).text


def test_pages_need_a_signed_in_user(client, submitted):
    for url in (
        reverse("programs:mine"),
        reverse("programs:list"),
        reverse("programs:waiting"),
        submitted.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_proposer_revises_a_returned_proposal_in_the_form_and_submits_it_again(
    client, submitted, kecamatan_officer, proposer
):
    services.return_proposal(actor=kecamatan_officer, proposal=submitted, note="Rinci RAB.")
    client.force_login(proposer)
    url = reverse("programs:edit", args=[submitted.public_id])
    response = client.get(url)
    assert 'value="12.500.000"' in response.text  # the budget as people write it
    assert re.search(r'<input type="checkbox" name="aid_training"[^>]* checked>', response.text)
    assert not re.search(r'<input type="checkbox" name="aid_csr"[^>]* checked>', response.text)
    response = client.post(url, proposal_form(location="64.74.03.1002", budget="9.750.000"))
    assert response.status_code == 302, response.context["form"].errors
    submitted.refresh_from_db()
    assert (submitted.budget, submitted.state) == (9_750_000, State.RETURNED)
    assert sorted(submitted.aids.values_list("kind", flat=True)) == ["csr", "training"]
    assert move(client, submitted, "submit", "Sudah dirinci.").status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.returned_from) == (State.SUBMITTED, "")
    assert client.get(url).status_code == 409  # no more changes while it is reviewed


def test_amounts_beyond_the_budget_are_pointed_out_on_the_page(client, proposer):
    """Rp 25.000.000 asked for training in a programme of Rp 15.000.000 was saved, submitted
    and escalated without a word (found by a walk through the demo site). It is not refused
    (a bank loan may be meant beyond what the programme costs); the page says it."""
    over = make_proposal(
        proposer,
        budget=15_000_000,
        aids=[(AidKind.TRAINING, 25_000_000, ""), (AidKind.MENTORING, None, "")],
    )
    within = make_proposal(proposer, budget=15_000_000, aids=[(AidKind.TRAINING, 15_000_000, "")])
    client.force_login(proposer)
    page = client.get(over.get_absolute_url()).text
    assert (
        "The amounts asked for add up to Rp 25,000,000, more than the programme's budget of "
        "Rp 15,000,000" in page
    )
    assert "more than the programme's budget" not in client.get(within.get_absolute_url()).text
