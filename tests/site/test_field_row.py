"""`{% field_row field %}` (forkom/templatetags/forkom.py) writes what the included template
cadres/_field.html wrote (kept beside this test as field_before.html): the same markup, escaped
and localized the same way, for every kind of field the site's forms have."""

from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cadres.activation.forms import CodeSignInForm
from cadres.forms import ProfileForm
from forkom.templatetags.forkom import field_row

BEFORE = (Path(__file__).parent / "field_before.html").read_text()
CHOICES = [("a", "Satu <1>"), ("b", gettext_lazy("Yes"))]


class Awkward(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=5, help_text='Nama "lengkap" & <gelar>'
    )
    note = forms.CharField(label="Catatan <opsional>", required=False, widget=forms.Textarea)
    safe = forms.CharField(label=mark_safe("<i>Aman</i>"), required=False)
    amount = forms.IntegerField(label="Jumlah", initial=1234567, required=False)
    day = forms.DateField(label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    one = forms.ChoiceField(label="Pilih satu", choices=CHOICES, widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Pilih", choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    listed = forms.MultipleChoiceField(label="Daftar", choices=CHOICES, required=False)
    single = forms.ChoiceField(label="Satu", choices=CHOICES, required=False)
    agree = forms.BooleanField(label="Setuju", required=False)
    empty = forms.CharField(label="", required=False)
    needed = forms.CharField(label="Perlu saat diajukan", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needed"].needed_to_submit = True


def forms_to_show():
    yield Awkward()
    yield Awkward(auto_id=False)
    yield Awkward(prefix="x")
    bound = Awkward(data={"name": "terlalu panjang", "one": "z", "amount": "x"})
    bound.is_valid()
    yield bound
    yield CodeSignInForm()
    sent = CodeSignInForm(data={"identifier": "", "code": "1"})
    sent.is_valid()
    yield sent
    yield ProfileForm()


def the_include(field):
    return engines["django"].from_string(BEFORE).render({"field": field})


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_field_is_written_as_the_include_wrote_it(db, language):
    compared = 0
    with translation.override(language):
        for form in forms_to_show():
            for field in form:
                assert str(field_row(field)) == the_include(field), (form, field.name)
                compared += 1
    assert compared > 30


def test_the_row_marks_required_fields_and_escapes_the_help_text(db):
    form = Awkward()
    row = str(field_row(form["name"]))
    assert '<label for="id_name">' in row
    assert " *</label>" in row
    assert "Nama &quot;lengkap&quot; &amp; &lt;gelar&gt;" in row
    assert '<fieldset class="choices"><legend>Pilih satu *</legend>' in str(field_row(form["one"]))
    assert " *" not in str(field_row(form["note"]))
    assert "Perlu saat diajukan *" in str(field_row(form["needed"]))
