"""The form renderer: Django's TemplatesSetting, with the option lists and the inputs written
in Python.

A select list, a checkbox list and a radio list render one template fragment per option in
Django: about 170 µs an option, so a meeting's invitation list of a forum with 480 members
cost 80 ms of the page's 130 ms, and a kabupaten's kelurahan list several milliseconds on
every filter form. The functions here write the same markup as Django's own templates
(`select.html` with `select_option.html`; `multiple_input.html` with `input_option.html`,
`input.html` and `attrs.html`), escaped the same way; tests/site/test_widgets.py compares
them with Django's templates. A widget that names other option templates is left to its
templates. The plain inputs (text, number, date, hidden and the others whose template only
includes `input.html`) took about 150 µs each that way and are written here too, as are
text areas (`textarea.html`), the fields' labels (`label.html`) and the paragraph layout of
`form.as_p` (`p.html`).
"""

import html
from collections.abc import Callable
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"


def shown(value: Any) -> str:
    """`{{ value }}` in a template: localized, then escaped unless safe."""
    if type(value) is str:  # the common case, without Django's lazy-aware wrappers
        return html.escape(value)
    return str(conditional_escape(localize(value)))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in a template: the filter keeps a safe value safe."""
    text = f"{value}"
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in options:
            # Each option's template ends with a newline, as Django's files do.
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs(option['attrs'])}>{shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    """input.html (the site's, with attrs.html written out), as a widget's template that
    includes it renders it (the renderer strips the files' newlines)."""
    value = widget["value"]
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"'
        + (f' value="{_formatted(value)}"' if value is not None else "")
        + f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    """textarea.html: the value on the line after the opening tag, as Django writes it."""
    value = widget["value"]
    return (
        f'<textarea name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{shown(value) if value else ''}</textarea>"
    )


def _input_option(option: dict[str, Any]) -> str:
    """The option's template (checkbox_option.html, radio_option.html), input_option.html
    and input.html, each ending with a newline as Django's files do."""
    element = f"{_input(option)}\n"
    if not option["wrap_label"]:
        return f"{element}\n\n"
    id_ = option["attrs"].get("id")
    label_for = f' for="{shown(id_)}"' if id_ else ""
    return f"<label{label_for}>{element} {shown(option['label'])}</label>\n\n"


def _multiple_input(widget: dict[str, Any]) -> str:
    id_ = widget["attrs"].get("id")
    class_ = widget["attrs"].get("class")
    parts = [
        "<div"
        + (f' id="{shown(id_)}"' if id_ else "")
        + (f' class="{shown(class_)}"' if class_ else "")
        + ">"
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{shown(group_name)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


# Django's widget templates that only include input.html: a form's text, number, date and
# hidden fields, about 150 µs each through the templates and 10 µs here (the admin's training
# form has 88 hidden inputs in its sign-up rows).
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}

# The widget template, the option template its options must name, and the function.
WRITTEN: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    f"{WIDGETS}select.html": (f"{WIDGETS}select_option.html", _select),
    f"{WIDGETS}checkbox_select.html": (f"{WIDGETS}checkbox_option.html", _multiple_input),
    f"{WIDGETS}radio.html": (f"{WIDGETS}radio_option.html", _multiple_input),
}


TEXTAREA = f"{WIDGETS}textarea.html"
LABEL = "django/forms/label.html"

# Django's error list templates, which write nothing when there is no error. A field's
# `{{ field.errors }}` renders one whether or not it has errors, so an empty list is answered
# here without a template.
ERRORS = {
    f"django/forms/errors/{kind}/{name}"
    for kind in ("list", "dict")
    for name in ("default.html", "ul.html", "text.txt")
}


def _label(context: dict[str, Any]) -> str:
    """label.html: the field's label in its tag (`<label for=…>`), or alone without an id.
    Every label (label_tag) was a template render: 51 µs, against 12 µs written here."""
    label = shown(context["label"])
    if not context["use_tag"]:
        return label.strip()  # as the renderer strips what a template gives
    tag = shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


PARAGRAPHS = "django/forms/p.html"


def _paragraphs(context: dict[str, Any]) -> str:
    """Django's p.html: a form as paragraphs (`form.as_p`), laid out as the template lays it
    out, an error list written only when there are errors. An eight-field form in 248 µs
    against 489 µs through the template. The renderer strips the result, as it strips a
    template's."""
    errors = context["errors"]
    fields = context["fields"]
    hidden = "".join(shown(field) for field in context["hidden_fields"])
    parts = [shown(errors) if errors else "", "\n"]
    if errors and not fields:
        parts.append(f"\n  <p>{hidden}</p>\n")
    parts.append("\n")
    last = len(fields) - 1
    for position, (field, field_errors) in enumerate(fields):
        classes = field.css_classes()
        class_attr = f' class="{shown(classes)}"' if classes else ""
        label = shown(field.label_tag()) if field.label else ""
        help_text = ""
        if field.help_text:  # as the template writes it: `|safe`
            help_id = f' id="{shown(field.auto_id)}_helptext"' if field.auto_id else ""
            help_text = f'\n      <span class="helptext"{help_id}>{field.help_text}</span>\n    '
        after = f"\n      {hidden}\n    " if position == last else ""
        parts.append(
            f"\n  {shown(field_errors) if field_errors else ''}\n  <p{class_attr}>"
            f"\n    {label}\n    {shown(field)}\n    {help_text}\n    {after}\n  </p>\n"
        )
    parts.append("\n")
    if not fields and not errors:
        parts.append(f"\n  {hidden}\n")
    parts.append("\n")
    return "".join(parts)


class Renderer(TemplatesSetting):
    """Templates from the site's TEMPLATES (templates/django/forms/widgets/input.html
    replaces Django's for the widgets that include it), and the option lists, plain inputs,
    text areas, labels, empty error lists and paragraph layout written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUTS:
            return mark_safe(_input(context["widget"]))
        if template_name == TEXTAREA:
            return mark_safe(_textarea(context["widget"]))
        if template_name == LABEL:
            return mark_safe(_label(context))
        if template_name in ERRORS and not context["errors"]:
            return ""
        if template_name == PARAGRAPHS:
            return mark_safe(_paragraphs(context).strip())
        written = WRITTEN.get(template_name)
        if written is not None:
            option_template, write = written
            widget = context["widget"]
            if all(
                option["template_name"] == option_template
                for _group, options, _index in widget["optgroups"]
                for option in options
            ):
                return mark_safe(write(widget))
        return super().render(template_name, context, request)
