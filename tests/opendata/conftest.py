import pytest


@pytest.fixture(autouse=True)
def _no_client_limits(settings):
    """Tests make many requests from one address: the limits are tested on their own."""
    settings.API_ANON_RATE = ""
    settings.DOWNLOAD_ANON_RATE = ""


@pytest.fixture
def draft(make_practice):
    """An unpublished practice on a popular barrier and topic, with words of its own."""
    return make_practice(
        "Zebracorn draft scheme",
        status="draft",
        barriers=["limited-size-and-capacity"],
        topics=["financial-support"],
        tags=["zebracorn"],
    )
