import pytest


@pytest.fixture(autouse=True)
def _english_messages(english):
    """Service messages in their English source form, so that tests can match them."""
