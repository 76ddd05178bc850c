"""forkom.paths.path_to gives reverse()'s path for every route of the site whose arguments
are public ids, primary keys or region codes, and falls back to reverse() for anything else."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.base import set_script_prefix
from django.urls.converters import IntConverter, UUIDConverter

from forkom.converters import IdConverter, RegionCodeConverter
from forkom.paths import _path_parts, path_to

SAMPLES = {
    UUIDConverter: [uuid.UUID("12345678-9abc-4def-8123-456789abcdef"), uuid.uuid4()],
    IntConverter: [0, 7, 10**17 + 3],
    IdConverter: [1, 42, 999_999_999_999_999_999],
    RegionCodeConverter: ["64", "64.74", "64.74.02", "64.74.02.1001"],
}
# The type path_to reads each converter's values as.
KIND = {UUIDConverter: uuid.UUID, RegionCodeConverter: str}


def _routes(resolver, namespace=""):
    """(name, the converters of its arguments in order) of every named route."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = list(entry.pattern.converters.values())
            yield f"{namespace}{entry.name}", converters


def _keyed_routes():
    return sorted(
        {
            (name, tuple(type(converter) for converter in converters))
            for name, converters in _routes(get_resolver())
            if converters and all(type(converter) in SAMPLES for converter in converters)
        }
    )


def test_the_site_has_routes_with_public_ids_and_primary_keys():
    kinds = {kind for _name, kinds in _keyed_routes() for kind in kinds}
    assert {UUIDConverter, IdConverter, RegionCodeConverter} <= kinds, kinds
    assert len(_keyed_routes()) > 20


@pytest.mark.parametrize(("name", "kinds"), _keyed_routes())
def test_path_to_is_reverse(name, kinds):
    for round_ in range(3):
        args = [SAMPLES[kind][round_ % len(SAMPLES[kind])] for kind in kinds]
        assert path_to(name, *args) == reverse(name, args=args)
    # The cached parts were made, not the fallback to reverse() on every call.
    types = tuple(KIND.get(kind, int) for kind in kinds)
    assert _path_parts(name, types, "/", None)


def test_other_arguments_go_through_reverse():
    public_id = uuid.uuid4()
    # A string, a negative number, a bool: reverse()'s answer, or its error.
    assert path_to("programs:detail", str(public_id)) == reverse(
        "programs:detail", args=[str(public_id)]
    )
    with pytest.raises(NoReverseMatch):
        path_to("trainings:detail", -1)
    with pytest.raises(NoReverseMatch):
        path_to("trainings:detail", 10**18)
    with pytest.raises(NoReverseMatch):
        path_to("trainings:detail", public_id)  # a uuid where a key is expected


def test_a_region_code_route_falls_back_to_reverse_for_what_is_no_code():
    # The region converter refuses a key's stand-in: no cached parts, reverse() every time.
    assert _path_parts("territory:region", (int,), "/", None) is None
    assert path_to("territory:region", 64) == reverse("territory:region", args=[64])
    for not_a_code in ["6", "64.7", "64.74.02.1001.1", "64/74", "64.74\x00"]:
        with pytest.raises(NoReverseMatch):
            path_to("territory:region", not_a_code)
    # A string where a key is expected, even one shaped like a code.
    with pytest.raises(NoReverseMatch):
        path_to("trainings:detail", "64.74")


def test_the_script_prefix_is_kept():
    public_id = uuid.uuid4()
    set_script_prefix("/forkom/")
    try:
        assert path_to("programs:detail", public_id) == f"/forkom/usulan/{public_id}/"
        assert path_to("programs:detail", public_id) == reverse(
            "programs:detail", args=[public_id]
        )
    finally:
        set_script_prefix("/")
    assert path_to("programs:detail", public_id) == f"/usulan/{public_id}/"


def test_the_template_tag():
    public_id = uuid.uuid4()
    html = Template("{% load forkom %}<a href=\"{% path 'programs:detail' id %}\">").render(
        Context({"id": public_id})
    )
    assert html == f'<a href="{reverse("programs:detail", args=[public_id])}">'
