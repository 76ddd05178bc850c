"""The load: cadres in threads, each with its own cookie jar, signing in through allauth's form
and then, on their training's page, pressing whichever button it shows ("Sign up" or "Cancel
my sign-up") until the time is up. Every request is counted by its status and timed."""

import math
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import urlencode

SIGN_IN = "sign-in"
PAGE = "training page"
SIGN_UP = "sign-up (POST)"
CANCEL = "cancel (POST)"
KINDS = [SIGN_IN, PAGE, SIGN_UP, CANCEL]
TIMEOUT = 60  # seconds: longer than gunicorn's own worker timeout (30 s)


class Tally:
    """Status and seconds of every request, by kind; shared by the clients' threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.seconds: dict[str, list[float]] = defaultdict(list)

    def add(self, kind: str, status: int | str, seconds: float) -> None:
        with self._lock:
            self.statuses[kind][status] += 1
            self.seconds[kind].append(seconds)

    def count(self, kinds=None) -> int:
        return sum(sum(self.statuses[kind].values()) for kind in kinds or self.statuses)

    def failures(self, kinds=None) -> Counter:
        """Answers 5xx and requests that got no answer (refused, reset, timed out)."""
        failed = Counter()
        for kind in kinds or self.statuses:
            for status, count in self.statuses[kind].items():
                if not isinstance(status, int) or status >= 500:
                    failed[status] += count
        return failed

    def row(self, label: str, kinds: list[str]) -> "Row":
        statuses = sum((self.statuses[kind] for kind in kinds), Counter())
        seconds = sorted(value for kind in kinds for value in self.seconds[kind])
        return Row(label, statuses, seconds)


@dataclass
class Row:
    label: str
    statuses: Counter
    seconds: list[float] = field(repr=False)

    @property
    def count(self) -> int:
        return len(self.seconds)

    def percentile(self, share: float) -> float:
        """The nearest-rank percentile (`seconds` is sorted)."""
        return self.seconds[max(math.ceil(share * len(self.seconds)) - 1, 0)]

    def cells(self) -> list[str]:
        if not self.seconds:
            return [self.label, "0", "", "", "", ""]
        by_status = ", ".join(
            f"{status}: {count:,}"
            for status, count in sorted(self.statuses.items(), key=lambda item: str(item[0]))
        )
        return [
            self.label,
            f"{self.count:,}",
            by_status,
            milliseconds(statistics.median(self.seconds)),
            milliseconds(self.percentile(0.95)),
            milliseconds(self.seconds[-1]),
        ]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their hidden fields (the CSRF token)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.append((values.get("action") or "", {}))
        elif tag == "input" and self.forms and values.get("type") == "hidden":
            self.forms[-1][1][values.get("name") or ""] = values.get("value") or ""


def post_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer to time and count, as the browser first gets it."""

    def redirect_request(self, *args, **kwargs):
        return None


class SignInFailed(Exception):
    pass


class Cadre:
    """One simulated cadre: a browser of their own (cookies), on one training's page."""

    def __init__(self, *, site_url: str, email: str, password: str, training_path: str):
        self.site_url = site_url
        self.email = email
        self.password = password
        self.training_path = training_path
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _KeepRedirects()
        )

    def request(self, tally: Tally, kind: str, path: str, data=None) -> tuple[int | str, str]:
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.site_url + path, data=body)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:  # no answer: refused, reset, timed out
            status, text = type(error).__name__, ""
        tally.add(kind, status, time.perf_counter() - started)
        return status, text

    def sign_in(self, tally: Tally, login_path: str) -> None:
        status, page = self.request(tally, SIGN_IN, login_path)
        forms = [
            fields
            for action, fields in post_forms(page)
            if action.split("?")[0] in ("", login_path)
        ]
        if status != 200 or not forms:
            raise SignInFailed(f"{self.email}: the sign-in page answered {status}")
        fields = {**forms[0], "login": self.email, "password": self.password}
        status, _page = self.request(tally, SIGN_IN, login_path, fields)
        if status != 302:
            raise SignInFailed(f"{self.email}: signing in answered {status}, not a redirect")

    def act_once(self, tally: Tally) -> None:
        """Open the training's page and press its sign-up or cancel button."""
        status, page = self.request(tally, PAGE, self.training_path)
        if status != 200:
            time.sleep(0.1)  # do not hammer a site that fails
            return
        for action, fields in post_forms(page):
            if action == self.training_path + "daftar/":
                self.request(tally, SIGN_UP, action, fields)
                return
            if action == self.training_path + "batal/":
                self.request(tally, CANCEL, action, fields)
                return
        tally.add(PAGE, "no button", 0.0)


def sign_in_all(cadres: list[Cadre], tally: Tally, login_path: str) -> list[str]:
    """Sign every cadre in, in parallel; the errors (none when all could)."""
    errors: list[str] = []

    def sign_in(cadre):
        try:
            cadre.sign_in(tally, login_path)
        except SignInFailed as error:
            errors.append(str(error))

    threads = [threading.Thread(target=sign_in, args=(cadre,), daemon=True) for cadre in cadres]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def run_load(cadres: list[Cadre], tally: Tally, seconds: float) -> float:
    """Every cadre acts in a loop for `seconds`; returns the seconds until the last answer."""
    started = time.monotonic()
    deadline = started + seconds

    def loop(cadre):
        while time.monotonic() < deadline:
            cadre.act_once(tally)

    threads = [threading.Thread(target=loop, args=(cadre,), daemon=True) for cadre in cadres]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started
