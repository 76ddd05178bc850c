import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in their English source form, so that tests can match them."""
    with translation.override("en"):
        yield
