"""The site's form renderer (forkom/renderers.py): select, checkbox and radio lists, inputs,
labels, empty error lists and the paragraph layout written in Python, and
templates/django/forms/widgets/input.html written out for speed; the same markup as Django's
own templates."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from forkom.renderers import INPUTS, Renderer

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
        ours = render(Renderer(), widget, value)
        assert ours == render(DjangoTemplates(), widget, value)
        assert "select" in ours
        assert "option" in ours


# Labels and values as forms give them: lazy translations, safe strings, markup to escape,
# numbers, None; attributes that are True, False or need escaping.
AWKWARD = [
    (None, gettext_lazy("None of them")),
    (1000, mark_safe("<b>Seribu</b>")),
    ('"quoted" & <b>', '"quoted" & <b>'),
    (mark_safe("a&b"), 12345),
    (gettext_lazy("Group <one>"), [(2.5, "two and a half"), ("x", gettext_lazy("Yes"))]),
]


def test_awkward_choices_render_as_djangos_would():
    attrs = {"data-x": '"<&>"', "disabled": True, "hidden": False, "data-n": 7}
    for widget, value in [
        (forms.Select(choices=AWKWARD, attrs=attrs), "1000"),
        (forms.SelectMultiple(choices=AWKWARD, attrs=attrs), ["None", "x", "2.5"]),
        (forms.CheckboxSelectMultiple(choices=AWKWARD, attrs=attrs), ['"quoted" & <b>', "a&b"]),
        (forms.RadioSelect(choices=AWKWARD, attrs={**attrs, "class": 'a "b"'}), "None"),
        (forms.RadioSelect(choices=[]), None),
        (forms.Select(choices=[]), None),
    ]:
        ours = render(Renderer(), widget, value)
        assert ours == render(DjangoTemplates(), widget, value)
    assert "&lt;b&gt;" in ours or "<select" in ours


class OwnOptions(forms.RadioSelect):
    option_template_name = "django/forms/widgets/checkbox_option.html"


def test_a_widget_with_other_option_templates_keeps_its_templates():
    ours = render(Renderer(), OwnOptions(choices=CHOICES), "7")
    assert ours == render(DjangoTemplates(), OwnOptions(choices=CHOICES), "7")
    assert 'type="radio"' in ours


def test_the_sites_checkbox_and_radio_lists_are_the_same_markup_as_djangos():
    for widget, value in [
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["7", "64.74.02.1001"]),
        (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"class": "invitees"}), []),
        (forms.RadioSelect(choices=CHOICES), "64.74.01.1002"),
        (forms.RadioSelect(choices=CHOICES, attrs={"required": True}), None),
    ]:
        ours = render(Renderer(), widget, value)
        assert ours == render(DjangoTemplates(), widget, value)
        assert 'type="' in ours
        assert "<label" in ours
    # Without an id the labels are not tied to an input, as in Django's.
    widget = forms.RadioSelect(choices=CHOICES)
    bare = widget.render("kelurahan", "7", renderer=Renderer())
    assert bare == widget.render("kelurahan", "7", renderer=DjangoTemplates())


def test_the_sites_inputs_are_the_same_markup_as_djangos():
    for widget, value in [
        (forms.TextInput(attrs={"maxlength": 150, "required": True, "autofocus": False}), 'a "b"'),
        (forms.EmailInput(), None),
        (forms.NumberInput(attrs={"min": 0}), 12),
        (forms.DateInput(attrs={"type": "date"}), "2026-12-04"),
        (forms.HiddenInput(), "x<y"),
        (forms.ClearableFileInput(), None),
        (forms.CheckboxInput(), True),
    ]:
        ours = render(Renderer(), widget, value)
        assert ours == render(DjangoTemplates(), widget, value)
        assert "<input" in ours


def test_every_input_widget_with_awkward_values_is_the_same_markup_as_djangos():
    attrs = {"data-x": '"<&>"', "disabled": True, "hidden": False, "data-n": 7, "id": "i<d>"}
    widgets = [
        forms.CheckboxInput(attrs=attrs),
        forms.TextInput(attrs={**attrs, "type": "color"}),
        forms.DateInput(attrs=attrs),
        forms.DateTimeInput(attrs=attrs),
        forms.EmailInput(attrs=attrs),
        forms.FileInput(attrs=attrs),
        forms.HiddenInput(attrs=attrs),
        forms.NumberInput(attrs=attrs),
        forms.PasswordInput(attrs=attrs, render_value=True),
        forms.SearchInput(attrs=attrs),
        forms.TelInput(attrs=attrs),
        forms.TextInput(attrs=attrs),
        forms.TimeInput(attrs=attrs),
        forms.URLInput(attrs=attrs),
    ]
    values = [None, "", 0, 12.5, 'x<y & "z"', mark_safe("<b>a&amp;b</b>"), gettext_lazy("Yes")]
    for widget in widgets:
        for value in values:
            ours = widget.render("na<me>", value, renderer=Renderer())
            assert ours == widget.render("na<me>", value, renderer=DjangoTemplates())
            assert ours.startswith("<input")


def test_the_sites_text_areas_are_the_same_markup_as_djangos():
    attrs = {"data-x": '"<&>"', "disabled": True, "hidden": False, "rows": 3, "id": "id_x"}
    values = [None, "", "baris 1\nbaris 2", '<x> & "y"', mark_safe("<b>aman</b>"), 0, 12.5]
    values.append(gettext_lazy("Yes"))
    for widget in [forms.Textarea(), forms.Textarea(attrs=attrs)]:
        for value in values:
            ours = widget.render("catatan", value, renderer=Renderer())
            assert ours == widget.render("catatan", value, renderer=DjangoTemplates()), value
            assert ours.startswith('<textarea name="catatan"')


def test_the_inputs_written_in_python_are_those_that_only_include_input_html():
    """A Django upgrade that gives one of them more markup, or a template of the site's
    that replaces one, would no longer be what the renderer writes."""
    import django

    djangos = Path(django.__file__).parent / "forms" / "templates"
    for name in INPUTS:
        include = '{% include "django/forms/widgets/input.html" %}'
        assert (djangos / name).read_text().strip() == include, name
        assert not (Path(settings.BASE_DIR) / "templates" / name).exists(), name


class Sample(forms.Form):
    name = forms.CharField(label="Nama", max_length=20, help_text="Nama lengkap")
    kelurahan = forms.ChoiceField(label="Kelurahan", choices=CHOICES, required=False)
    agree = forms.BooleanField(label="Setuju")
    token = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="", required=False)

    def clean(self):
        raise forms.ValidationError("Ada yang salah")


class Styled(forms.Form):
    required_css_class = "wajib"
    error_css_class = "salah <x>"
    name = forms.CharField(label=gettext_lazy("Name"), help_text=mark_safe("<em>Aman</em> & ok"))
    kode = forms.IntegerField(label="Kode", required=False, help_text=gettext_lazy("Yes"))


class HiddenOnly(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    other = forms.CharField(widget=forms.HiddenInput, required=False)


class Empty(forms.Form):
    pass


def test_the_sites_forms_as_paragraphs_are_the_same_markup_as_djangos():
    for form in [
        Sample(),
        Sample(initial={"name": "Siti", "kelurahan": "7"}),
        Sample(data={"name": "x" * 30, "token": ""}),
        Sample(data={"name": "Siti", "agree": "on", "token": "t"}),
        Sample(data={}, auto_id=False),
        Sample(prefix="f", label_suffix=""),
        Styled(),
        Styled(data={"kode": "x"}),
        HiddenOnly(),
        HiddenOnly(data={}),
        HiddenOnly(data={"token": "t"}),
        Empty(),
        Empty(data={}),
    ]:
        form.is_bound and form.is_valid()
        form.renderer = Renderer()
        ours = form.as_p()
        form.renderer = DjangoTemplates()
        assert ours == form.as_p(), form
        assert "<label" in ours or form.auto_id is False or not form.visible_fields()


class Labelled(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"))
    awkward = forms.CharField(label='Nama "lengkap" & <b>gelar</b>')
    safe = forms.CharField(label=mark_safe("<i>Nama</i>"))
    none = forms.CharField(label="")


def test_the_sites_labels_are_the_same_markup_as_djangos():
    attrs = {"class": 'a "b"', "data-x": "<&>", "hidden": True, "disabled": False}
    for form in [Labelled(), Labelled(auto_id=False), Labelled(label_suffix=" :")]:
        for field in form:
            for arguments in [
                {},
                {"attrs": attrs},
                {"contents": "Isi <b>", "label_suffix": "?"},
                {"contents": mark_safe("<em>Isi</em>"), "tag": "legend"},
                {"contents": "  spaced  "},
            ]:
                form.renderer = Renderer()
                ours = field.label_tag(**arguments)
                legend = field.legend_tag(attrs=attrs)
                form.renderer = DjangoTemplates()
                assert ours == field.label_tag(**arguments), (field.name, arguments)
                assert legend == field.legend_tag(attrs=attrs)
    form = Labelled()
    form.renderer = Renderer()
    assert form["awkward"].label_tag() == (
        '<label for="id_awkward">Nama &quot;lengkap&quot; &amp; &lt;b&gt;gelar&lt;/b&gt;:</label>'
    )


def test_error_lists_are_the_same_markup_as_djangos_with_errors_or_none():
    from django.forms.utils import ErrorDict, ErrorList

    lists = [
        ErrorList(),
        ErrorList(["Wajib diisi", "<b>Terlalu</b> panjang"]),
        ErrorList(["Salah"], error_class="nonfield", field_id="id_nama"),
        ErrorDict(),
        ErrorDict({"nama": ErrorList(["Wajib diisi"]), "__all__": ErrorList(["Salah"])}),
    ]
    for errors in lists:
        for show in (str, lambda errors: errors.as_ul(), lambda errors: errors.as_text()):
            errors.renderer = Renderer()
            ours = show(errors)
            errors.renderer = DjangoTemplates()
            assert ours == show(errors)
            assert bool(ours) == bool(errors)
    form = Sample(data={"name": "x" * 30})
    form.renderer = Renderer()
    assert str(form["name"].errors).startswith('<ul class="errorlist" id="id_name_error">')
    assert str(form["kelurahan"].errors) == ""


def test_forms_render_with_the_sites_templates(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), Renderer)
    assert isinstance(get_default_renderer(), TemplatesSetting)
    assert "written out for speed" not in render(get_default_renderer(), forms.Select(), "")
    assert "written out" not in render(get_default_renderer(), forms.RadioSelect(), "")
    assert "written out" not in render(get_default_renderer(), forms.TextInput(), "")
