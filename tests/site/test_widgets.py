"""templates/django/forms/widgets/select.html: Django's select list, written out for speed."""

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

CHOICES = [
    ("", "Semua"),
    ("Bontang Utara", [("64.74.01.1001", "Bontang Kuala"), ("64.74.01.1002", 'Guntung "A" & B')]),
    ("Bontang Selatan", [("64.74.02.1001", "Berbas Tengah")]),
    (7, "Tujuh"),
]


def render(renderer, widget, value):
    return widget.render("kelurahan", value, attrs={"id": "id_kelurahan"}, renderer=renderer)


def test_the_sites_select_list_is_the_same_markup_as_djangos():
    for widget, value in [
        (forms.Select(choices=CHOICES, attrs={"data-kelurahan-picker": ""}), "64.74.01.1002"),
        (forms.Select(choices=CHOICES), None),
        (forms.SelectMultiple(choices=CHOICES), ["7", "64.74.02.1001"]),
        (forms.NullBooleanSelect(), True),
    ]:
        ours = render(TemplatesSetting(), widget, value)
        assert ours == render(DjangoTemplates(), widget, value)
        assert "select" in ours
        assert "option" in ours


def test_forms_render_with_the_sites_templates(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), TemplatesSetting)
    assert "written out for speed" not in render(get_default_renderer(), forms.Select(), "")
