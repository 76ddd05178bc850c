"""The templates' date and time formats."""

import re
from pathlib import Path

from django.conf import settings
from django.utils.formats import FORMAT_SETTINGS

# `|date:"..."`, `|time:"..."` (and the site's `|formatted:"..."`), with either quote.
FORMAT_ARGUMENT = re.compile(r"""\|(?:date|time|formatted):(["'])(.*?)\1""")


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
