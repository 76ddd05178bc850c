"""Fixtures for tests that drive Debian's Chromium through Playwright.

The site runs in a live server thread that serves collected static files through
whitenoise, as in production; every page is checked with axe and for CSP violations.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LIVE_HOST = "127.0.0.1"
PHONE_VIEWPORT = {"width": 360, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder `browser`, and run them after all others.

    Last, because the session-scoped Playwright keeps its event loop running in the main
    thread until the session ends, which would break async_to_sync in later tests. Under
    pytest-xdist (`make test`), the `load` scheduling hands every worker its tests in this
    order, so they are last in each worker too.
    """
    browser_items = []
    other_items = []
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
        else:
            other_items.append(item)
    items[:] = other_items + browser_items


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; install it with `apt-get install chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django refuses
    # the tests' ORM calls (SynchronousOnlyOperation) although they are synchronous. Set only
    # while the browser runs: subprocesses of other tests (`check --deploy`) must not inherit it.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server_url(transactional_db):
    """The site on 127.0.0.1 with static files served by whitenoise from STATIC_ROOT.

    pytest-django's `live_server` serves /static/ through the staticfiles finders, which know
    nothing of the hashed names that the manifest storage writes into pages. An identity
    static handler leaves /static/ to WhiteNoiseMiddleware, as in production. The database is
    shared through committed transactions (transactional_db), on SQLite (a test file) as on
    PostgreSQL.
    """
    server = LiveServerThread(LIVE_HOST, static_handler=lambda handler: handler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://{LIVE_HOST}:{server.port}"
    server.terminate()


class PageWatch:
    """What a page did besides rendering: requests, and console errors."""

    def __init__(self):
        self.requested_urls = []
        self.console_errors = []

    def foreign_urls(self):
        return [url for url in self.requested_urls if urlsplit(url).hostname != LIVE_HOST]

    def csp_violations(self):
        return [text for text in self.console_errors if "Content Security Policy" in text]


@pytest.fixture
def page(browser):
    """A phone-sized page in Indonesian that may load nothing from another host."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="id-ID")
    watch = PageWatch()

    def only_this_site(route, request):
        watch.requested_urls.append(request.url)
        if urlsplit(request.url).hostname == LIVE_HOST:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", only_this_site)
    page = context.new_page()
    page.on("console", lambda message: _record_console_error(watch, message))
    yield page
    context.close()
    assert not watch.foreign_urls(), f"The site loaded from another host: {watch.foreign_urls()}"
    assert not watch.csp_violations(), "The site violates its own CSP:\n" + "\n".join(
        watch.csp_violations()
    )


def _record_console_error(watch, message):
    if message.type == "error":
        watch.console_errors.append(message.text)


@pytest.fixture(scope="session")
def assert_accessible():
    """Fail on axe violations of serious or critical impact on the page as it is now."""
    return _assert_accessible


_axe = Axe()


def _assert_accessible(page):
    """Axe's serious and critical violations, listed with their nodes on failure.

    Playwright's page.evaluate goes through the DevTools protocol, which the page's CSP does
    not govern, so axe is injected and run under the site's strict CSP without bypass_csp:
    the page is checked exactly as users get it.
    """
    results = _axe.run(page)
    violations = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    report = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}" for node in violation["nodes"])
        for violation in violations
    ]
    assert not violations, f"axe found problems on {page.url}:\n" + "\n".join(report)
