"""The read-only inlines of the admin's change pages (forkom.admin.FirstRowsInline: a
training's sign-ups and events, the history of a proposal, a meeting, a forum or an
innovation) write their rows with forkom/templatetags/admin_inlines.py: the same page as
Django's tabular.html, for the first three rows of every admin with such an inline in the
demo data and a training with more sign-ups than its page shows, with the first rows and
with all, in both languages."""

import copy
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib import admin
from django.test.utils import override_settings
from django.urls import reverse

from cadres.models import CadreProfile
from forkom.admin import ALL_ROWS, FirstRowsInline
from forkom.templatetags import admin_inlines
from tests.accounts.test_admin import with_totp
from tests.conftest import make_user
from tests.trainings.factories import make_cadre, make_training
from trainings import services as training_services

# What differs between two answers of the same page: the form's token, the scripts' nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')
WITH_FIRST_ROWS = [
    model_admin
    for model_admin in admin.site._registry.values()
    if any(issubclass(inline, FirstRowsInline) for inline in model_admin.inlines)
]


@pytest.fixture
def crowded(demo):
    """A training with more sign-ups than its page shows, one of a cadre with a name to
    escape."""
    training = make_training(capacity=30)
    profiles = [make_cadre() for _ in range(FirstRowsInline.shown + 2)]
    CadreProfile.objects.filter(pk=profiles[0].pk).update(full_name='<b>Siti & "Rahma"</b>')
    for profile in profiles:
        training_services.sign_up(actor=profile.user, training=training, profile=profile)
    return training


def change_pages(crowded):
    """The change pages of the first rows of every admin with such an inline, and the
    crowded training's."""
    pages = [reverse("admin:trainings_training_change", args=[crowded.pk])]
    for model_admin in WITH_FIRST_ROWS:
        opts = model_admin.model._meta
        for pk in model_admin.model._default_manager.values_list("pk", flat=True)[:3]:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
    return pages


def djangos_rows():
    """Django's tabular.html in place of admin/forkom/read_only_tabular.html (a template of
    that name found first, which includes Django's)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).parent / "django_inline_rows", *templates[0]["DIRS"]]
    return override_settings(TEMPLATES=templates)


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return PER_REQUEST.sub("", response.text)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_read_only_inline_writes_the_rows_django_writes(client, crowded, language):
    client.force_login(
        with_totp(make_user("root@test.forkom.id", is_superuser=True, is_staff=True))
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rows = {}
    cells_written = {}
    with mock.patch.object(admin_inlines, "_cell", wraps=admin_inlines._cell) as written:
        for change in change_pages(crowded):
            for path in (change, f"{change}?{ALL_ROWS}=1"):
                calls = written.call_count
                ours = page(client, path)
                with djangos_rows():
                    djangos = page(client, path)
                assert ours == djangos, path
                rows[path] = ours.count('<tr class="form-row has_original"')
                cells_written[path] = written.call_count - calls
    assert {"trainings.Training", "programs.Proposal", "cadres.Forum", "cadres.Meeting"} <= {
        model_admin.model._meta.label for model_admin in WITH_FIRST_ROWS
    }
    crowded_page = reverse("admin:trainings_training_change", args=[crowded.pk])
    assert rows[crowded_page] >= FirstRowsInline.shown
    # Written here, not by Django's template: a cell for each field of each inline row.
    assert cells_written[crowded_page] >= 5 * FirstRowsInline.shown
    assert rows[f"{crowded_page}?{ALL_ROWS}=1"] > rows[crowded_page]
    assert "&lt;b&gt;Siti &amp; &quot;Rahma&quot;&lt;/b&gt;" in page(
        client, f"{crowded_page}?{ALL_ROWS}=1"
    )
