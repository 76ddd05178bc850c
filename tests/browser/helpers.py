"""What the browser journeys share: the phone's width, signing in, the checks of every page."""

from django.utils import translation

from tests.conftest import PASSWORD

PHONE_WIDTH = 360


def indonesian(text):
    """The page speaks Indonesian: what the catalogue makes of an English source string."""
    with translation.override("id"):
        return translation.gettext(text)


def assert_fits_the_phone(page):
    # A link's click returns before the new document is parsed: measure the page once it is.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page.url


def sign_in(page, base, email):
    """Signs in as `email` (with the tests' password), signed out of any other account first."""
    page.context.clear_cookies()
    page.goto(base + "/akun/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(base + "/")


def check(page, assert_accessible):
    """Every page of a journey fits the phone and passes axe."""
    assert_fits_the_phone(page)
    assert_accessible(page)


def open_menu(page, selector=None):
    """Opens the site menu where it is folded (a <details> on phones); on wide screens it is
    open already. With a `selector`, the entry it names is returned, shown: on wide screens
    the entries after the first few are under "More", which is opened for it."""
    summary = page.locator("details.site-menu > summary")
    if summary.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        summary.click()
    if selector is None:
        return None
    target = page.locator(selector)
    more = page.locator("details.menu-more > summary")
    if not target.first.is_visible() and more.is_visible():
        more.click()
    return target
