"""The worlds of the authorization matrix and the fuzz test, for every test here."""

from tests.site.worlds import worlds  # noqa: F401
