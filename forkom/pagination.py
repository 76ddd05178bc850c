"""Pagination that stays fast deep into a large, scoped list."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


class KeysFirstPaginator(Paginator):
    """Finds a page's primary keys first, then reads only that page's rows by key.

    A plain `LIMIT 25 OFFSET n` over a list that joins other tables and is sorted by name
    makes the database fetch and sort every row of the area (a kota's ten thousand cadres,
    one heap page each) to keep 25. Asking for the keys alone lets it read a covering index
    (cadres.CadreProfile's area-and-name index) and sort there; the second query then reads
    25 rows by primary key, with the joins the page shows. Same rows, same order, same count.
    """

    object_list: Any  # a QuerySet: the keys are read with values_list

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)}
        return self._get_page(  # type: ignore[attr-defined]  # Django's own page factory
            [rows[key] for key in keys if key in rows], number, self
        )


def filters_query(request: HttpRequest) -> str:
    """The list's filters as a query string without the page, for its export links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
