"""What the templates ask of values: date and time formats, choice labels."""

import datetime
import importlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.formats import FORMAT_SETTINGS, date_format

# `|date:"..."`, `|time:"..."` (and the site's `|formatted:"..."`), with either quote.
FORMAT_ARGUMENT = re.compile(r"""\|(?:date|time|formatted):(["'])(.*?)\1""")
DISPLAY_METHOD = re.compile(r"\bget_(\w+?)_display\b")


def test_a_format_setting_is_named_alone():
    """A format setting's name is looked up only when it is the whole argument: inside a
    format string, `"l, DATE_FORMAT"` is written letter by letter (a meeting's page read
    "Jumat, JumAMWITADesember_Desember+0800RDesAMWITA")."""
    templates = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*"))
    found = []
    misnamed = []
    for template in templates:
        for match in FORMAT_ARGUMENT.finditer(template.read_text(encoding="utf-8")):
            argument = match.group(2)
            found.append(argument)
            if "_FORMAT" in argument and argument not in FORMAT_SETTINGS:
                misnamed.append(f"{template.name}: {argument}")
    assert "DATETIME_FORMAT" in found  # the pattern finds the templates' formats
    assert misnamed == []


def test_every_choice_label_a_template_asks_for_exists():
    """`{{ x.get_foo_display }}` renders nothing, silently, when no model has a field `foo`
    with choices: the proposal emails said "— →" for months (`get_from_state_display` on an
    event whose fields are `before` and `after`)."""
    with_choices = {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
    }
    asked, unknown = set(), []
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*")):
        for name in DISPLAY_METHOD.findall(template.read_text(encoding="utf-8")):
            asked.add(name)
            if name not in with_choices:
                unknown.append(f"{template.relative_to(settings.BASE_DIR)}: get_{name}_display")
    assert {"state", "before", "after"} <= asked  # the pattern finds the templates' calls
    assert unknown == []


def test_english_defines_every_format_indonesian_does():
    """English fell back on Django's American SHORT_DATETIME_FORMAT: the training pages
    read "12/27/2026 8:30 a.m." beside "06/12/2026" and "13:48" elsewhere (found by a walk
    through the demo site)."""
    indonesian = importlib.import_module("forkom.formats.id.formats")
    english = importlib.import_module("forkom.formats.en.formats")
    defined = {name for name in vars(indonesian) if name.isupper()}
    assert "SHORT_DATETIME_FORMAT" in defined
    assert sorted(defined - set(vars(english))) == []
    moment = datetime.datetime(2026, 12, 27, 8, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "27/12/2026 08:30"


def test_times_are_written_by_the_language_s_format():
    """Indonesian writes 13.51 and English 13:51: a format string that spells the hour and
    minute itself writes one of them for both (the role invitation page read "20 Desember
    2026 13:51", found by a walk through the demo site)."""
    spelled = []
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*")):
        for match in FORMAT_ARGUMENT.finditer(template.read_text(encoding="utf-8")):
            if re.search(r"[GH][:.][i]", match.group(2)):
                spelled.append(f"{template.name}: {match.group(2)}")
    assert spelled == []
