"""A cadre's own profile comes from a statement compiled once (forkom.statements
.compiled_models): the same instance the ORM would make, its kelurahan and kecamatan with
it, the consent answered in the same query, and every row read afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadres import selectors, services
from cadres.models import CadreProfile, ConsentRecord, DeletionRequest
from forkom import statements
from tests.cadres.factories import make_profile
from tests.conftest import make_user


def fresh(user):
    """The user as a new request loads it: nothing kept from an earlier call."""
    return type(user).objects.get(pk=user.pk)


def test_the_kept_statement_gives_what_the_orm_gives(bontang):
    profile = make_profile(kelurahan="64.74.02.1005", full_name="Siti Rahmawati")
    user = fresh(profile.user)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.own_profile(user)
        assert found.kelurahan.parent.code == "64.74.02"  # read with it, not after
        assert found.kelurahan.parent.name
    assert len(captured) == 1
    orm = CadreProfile.objects.select_related("kelurahan__parent").get(pk=profile.pk)
    names = [field.attname for field in CadreProfile._meta.concrete_fields]
    assert [getattr(found, n) for n in names] == [getattr(orm, n) for n in names]
    assert found.kelurahan == orm.kelurahan
    assert found.kelurahan.parent == orm.kelurahan.parent
    assert found._state.adding is False
    assert found._state.db == "default"
    found.full_name = "Siti R."
    found.save(update_fields=["full_name"])  # an instance the ORM can save
    assert CadreProfile.objects.get(pk=profile.pk).full_name == "Siti R."


def test_each_call_reads_the_row_afresh(bontang):
    profile = make_profile(full_name="Siti Rahmawati")
    assert selectors.own_profile(fresh(profile.user)).full_name == "Siti Rahmawati"
    CadreProfile.objects.filter(pk=profile.pk).update(full_name="Siti Aminah")
    assert selectors.own_profile(fresh(profile.user)).full_name == "Siti Aminah"


def test_the_consent_is_read_in_the_same_query(bontang):
    profile = make_profile()
    user = fresh(profile.user)
    with CaptureQueriesContext(connection) as captured:
        found, consents = selectors.own_profile_and_consent(user)
    assert (found.pk, consents, len(captured)) == (profile.pk, True, 1)
    assert selectors.own_profile(user) is found  # kept for the rest of the request
    ConsentRecord.objects.filter(user=user).update(withdrawn_at=timezone.now())
    assert selectors.own_profile_and_consent(fresh(user))[1] is False


def test_without_a_profile_the_consent_is_asked_on_its_own(bontang):
    user = make_user()
    assert selectors.own_profile(user) is None
    assert selectors.own_profile_and_consent(user) == (None, False)
    services.record_consent(actor=user, user=user)
    assert selectors.own_profile_and_consent(user) == (None, True)


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: CadreProfile.objects.prefetch_related("fields"),
        lambda: CadreProfile.objects.values("pk"),
    ],
    ids=["prefetch", "values"],
)
def test_only_plain_model_rows_can_be_kept(db, queryset):
    with pytest.raises(ValueError, match="plain model rows only"):
        statements.compiled_models(queryset().filter(user_id=statements.PLACEHOLDER))


def test_the_profile_lists_its_bodies_fields_and_needs_in_their_order(client, bontang):
    from cadres.models import Body, Field, Topic

    first_body = Body.objects.create(name="Lembaga Uji", sort_order=0)
    health = Field.objects.create(name="Bidang Uji Kesehatan", sort_order=2)
    economy = Field.objects.create(name="Bidang Uji Ekonomi", sort_order=1)
    stunting = Topic.objects.create(name="Topik Uji Stunting")
    profile = make_profile(
        fields=[health, economy],
        training_needs=[stunting],
        memberships=[
            (Body.objects.get_or_create(name="Posyandu")[0], "Kader", 2019),
            (first_body, "Anggota", None),
        ],
    )
    lists = selectors.profile_lists(profile)
    assert [m.body.name for m in lists.memberships] == ["Lembaga Uji", "Posyandu"]
    assert lists.fields == [economy, health]
    assert lists.training_needs == [stunting]
    client.force_login(profile.user)
    page = client.get("/kader/").text
    assert "Bidang Uji Ekonomi, Bidang Uji Kesehatan" in page
    assert "Topik Uji Stunting" in page
    assert "Lembaga Uji — Anggota" in page
    # Read afresh: a need added later is listed on the next request.
    profile.training_needs.add(Topic.objects.create(name="Topik Uji Awal"))
    assert [t.name for t in selectors.profile_lists(profile).training_needs] == [
        "Topik Uji Awal",
        "Topik Uji Stunting",
    ]


def _answers(user):
    """What Data saya asks of the person's consent and deletion request, one query each."""
    with CaptureQueriesContext(connection) as captured:
        found = (
            selectors.has_current_consent(user),
            selectors.has_consent_to_withdraw(user),
            selectors.open_deletion_request(user),
        )
    assert len(captured) == 3
    return found


def test_the_kept_consent_and_deletion_answers_follow_the_stored_rows(bontang):
    profile = make_profile()
    user = fresh(profile.user)
    other = make_profile()  # another person's rows never answer for her
    DeletionRequest.objects.create(user=other.user, kelurahan=other.kelurahan)
    assert _answers(user) == (True, True, None)
    ConsentRecord.objects.filter(user=user).update(version="0-earlier")
    assert _answers(fresh(user)) == (False, True, None)  # an earlier text, not withdrawn
    ConsentRecord.objects.filter(user=user).update(withdrawn_at=timezone.now())
    assert _answers(fresh(user)) == (False, False, None)
    DeletionRequest.objects.create(
        user=user, kelurahan=profile.kelurahan, status=DeletionRequest.Status.DECLINED
    )
    assert _answers(fresh(user))[2] is None
    asked = DeletionRequest.objects.create(user=user, kelurahan=profile.kelurahan, reason="x")
    found = _answers(fresh(user))[2]
    names = [field.attname for field in DeletionRequest._meta.concrete_fields]
    assert [getattr(found, n) for n in names] == [getattr(asked, n) for n in names]
    assert found._state.adding is False
    DeletionRequest.objects.filter(pk=asked.pk).update(status=DeletionRequest.Status.DONE)
    assert _answers(fresh(user))[2] is None


def test_a_statement_with_a_moment_is_not_run_without_one(db):
    kept = statements.compiled(
        ConsentRecord.objects.filter(
            user_id=statements.PLACEHOLDER, agreed_at__lte=statements.MOMENT_PLACEHOLDER
        ).values("pk")
    )
    assert len(kept.moment_at) == 1
    with pytest.raises(ValueError, match="give it one"):
        statements.rows(kept, 1)
    assert statements.rows(kept, 1, timezone.now()) == []
