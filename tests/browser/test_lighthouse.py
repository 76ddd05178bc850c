"""Lighthouse, as a phone sees the site (its mobile preset: a mid-range phone on a slow 4G
line, simulated), scores 100 for performance, accessibility, best practices and SEO on the
home page, the training catalogue and a signed-in cadre's home.

Lighthouse's 4x CPU slowdown makes a high-end desktop a mid-range phone. On a slower host the
same 4x emulates a much slower phone, and Lighthouse warns that the device "appears to have a
slower CPU than Lighthouse expects": there the slowdown is calibrated to the host as
Lighthouse's documentation asks (cpu_slowdown), so that the phone emulated stays the same.

Lighthouse comes from the npm registry, pinned in tests/browser/lighthouse/package-lock.json
and installed by `make test` (npm ci); it drives Debian's Chromium. Without it the test is
skipped on a developer's machine and fails under CI=true. With FORKOM_LIGHTHOUSE=<folder>
the full JSON reports are written there.
"""

import json
import os
import subprocess
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import make_user
from tests.programs.factories import make_verified_profile
from tests.trainings.factories import make_training

LIGHTHOUSE = (
    Path(__file__).resolve().parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REPORTS = os.environ.get("FORKOM_LIGHTHOUSE", "")


@pytest.fixture(scope="module")
def lighthouse():
    if not (LIGHTHOUSE.exists() and CHROMIUM.exists()):
        reason = (
            f"{LIGHTHOUSE} or {CHROMIUM} is missing: `make test` installs Lighthouse with npm "
            "ci in tests/browser/lighthouse; Chromium comes from `apt-get install chromium`."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return LIGHTHOUSE


# Lighthouse's own trace recording sometimes loses the page load on a busy machine and asks
# to be run again ("Something went wrong with recording the trace over your page load.
# Please run Lighthouse again. (NO_NAVSTART)"; GoogleChrome/lighthouse#11653, #6968). Only
# those runtime errors are run again, at most twice more. A low score is not retried, but a
# performance score is a measurement (judged_performance).
TRACE_ERRORS = ("NO_NAVSTART", "NO_FCP", "NO_LCP", "NO_TRACING_STARTED", "NO_RESOURCE_REQUEST")
TRACE_ATTEMPTS = 3


def trace_lost(done):
    """Whether a Lighthouse run failed only because its trace of the page load was lost."""
    return (
        done.returncode != 0
        and "Please run Lighthouse again" in done.stderr
        and any(f"({code})" in done.stderr for code in TRACE_ERRORS)
    )


# Lighthouse's docs/throttling.md ("Calibrating the CPU slowdown"): its default 4x takes a
# high-end desktop (benchmarkIndex 1500-2000) into the mid-tier mobile bracket, a low-end
# desktop (1000-1500) needs 2x for the same phone; below 1000 Lighthouse warns that the host
# is too slow for 4x. PageSpeed Insights lowers the multiplier on its own slow hosts likewise
# (Lighthouse 12.2.3). The phone emulated: a desktop of 1760 slowed 4x.
MID_TIER_PHONE_INDEX = 440
DEFAULT_SLOWDOWN = 4


def cpu_slowdown(benchmark_index):
    """The CPU multiplier that makes a host of `benchmark_index` the mid-tier phone: 4 on a
    fast desktop, less on a slower host, never below 1 (a host slower than that phone)."""
    return round(min(DEFAULT_SLOWDOWN, max(1.0, benchmark_index / MID_TIER_PHONE_INDEX)), 2)


def first_run_counts(slowdown, scores):
    """Whether the home page's first run, at the default 4x, stands for its audit at
    `slowdown`: when it is the same, or when 4x (a slower phone) scored 100 everywhere."""
    return slowdown == DEFAULT_SLOWDOWN or scores == dict.fromkeys(CATEGORIES, 100)


# Lighthouse's docs/variability.md: a performance score varies from run to run with the
# host's load, even for the same page ("the median Lighthouse score of 5 runs is twice as
# stable as 1 run"). Here the unchanged home page once lost 4 points in four runs on an idle
# host (total blocking time 240 ms instead of under 100). A page whose performance alone fell
# short is audited twice more and judged by the median of its three runs: a page that is
# slower in earnest falls short in two of them, and fails.
PERFORMANCE_RUNS = 3


def judged_performance(result, audit_again):
    """`result` of audit(), with its performance score the median of PERFORMANCE_RUNS runs
    when performance alone fell short (`audit_again()` runs one more audit of the page), and
    the runs' scores added to the audits that fell short."""
    scores, short, *rest = result
    others_full = all(scores[key] == 100 for key in CATEGORIES if key != "performance")
    if scores["performance"] == 100 or not others_full:
        return result
    runs = [scores["performance"]]
    runs += [audit_again()[0]["performance"] for _ in range(PERFORMANCE_RUNS - 1)]
    median = sorted(runs)[len(runs) // 2]
    return ({**scores, "performance": median}, [*short, f"performance runs: {runs}"], *rest)


def audit(lighthouse, url, name, cookie="", slowdown=DEFAULT_SLOWDOWN):
    """The four scores (0 to 100) of `url`, the audits that fell short, the page's size and
    the host's benchmarkIndex, with the CPU slowed `slowdown` times."""
    command = [
        str(lighthouse),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--throttling.cpuSlowdownMultiplier={slowdown}",
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for _attempt in range(TRACE_ATTEMPTS):
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            check=False,
        )
        if not trace_lost(done):
            break
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    if REPORTS:
        folder = Path(REPORTS)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.json").write_text(done.stdout)
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    [document] = [
        request
        for request in report["audits"]["network-requests"]["details"]["items"]
        if request.get("resourceType") == "Document"
    ]
    short = sorted(
        f"{audit['id']}: {audit.get('displayValue') or audit['title']}"
        for key in CATEGORIES
        for reference in report["categories"][key]["auditRefs"]
        if reference["weight"] > 0
        and (audit := report["audits"][reference["id"]])["score"] is not None
        and audit["score"] < 1
    )
    return scores, short, document["resourceSize"], report["environment"]["benchmarkIndex"]


# Its score depends on the time the page takes to load: with the other tests running beside
# it on every core, the same page scores 99 (total blocking time 130 ms instead of under 100).
@pytest.mark.alone
@pytest.mark.lighthouse
def test_lighthouse_gives_100_on_the_home_page_the_catalogue_and_a_cadres_home(
    lighthouse, live_server_url, bontang
):
    for number in range(3):
        make_training(title=f"Pelatihan fasilitator posyandu {number}")
    cadre = make_user("kader.lighthouse@test.forkom.id")
    make_verified_profile(cadre, full_name="Siti Rahmawati")
    client = Client()
    client.force_login(cadre)
    session = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    )

    pages = [
        ("home", "/", ""),
        ("catalogue", "/pelatihan/", ""),
        ("cadre-home", "/", session),
    ]
    # A first run, the home page's at Lighthouse's default 4x, measures the host (its
    # benchmarkIndex); the audits are made with the CPU slowdown that makes this host the
    # mid-tier phone. The first run is the home page's audit on a host fast enough for 4x,
    # and also on a slower one when it scored 100 everywhere: there 4x emulates a slower
    # phone than the mid-tier one, and a slower CPU only lengthens the simulated load (the
    # other three categories do not depend on it). Else the home page is audited again:
    # a run less, about 15 s, on the hosts here.
    first = audit(lighthouse, live_server_url + "/", "home")
    index = first[3]
    slowdown = cpu_slowdown(index)
    kept = first_run_counts(slowdown, first[0])
    results = {"home": first} if kept else {}
    for name, path, cookie in pages:
        if name not in results:
            results[name] = audit(lighthouse, live_server_url + path, name, cookie, slowdown)
    # Audited again at `slowdown`, as each page was: the home page's first run stands only
    # when made at it, or when nothing fell short, which is never audited again.
    for name, path, cookie in pages:
        again = partial(audit, lighthouse, live_server_url + path, name, cookie, slowdown)
        results[name] = judged_performance(results[name], again)
    print(
        json.dumps(
            {
                "benchmarkIndex": index,
                "cpuSlowdownMultiplier": slowdown,
                "homeAt": DEFAULT_SLOWDOWN if kept else slowdown,
                **{name: result[0] for name, result in results.items()},
            }
        )
    )
    for name, (scores, short, *_) in results.items():
        assert scores == dict.fromkeys(CATEGORIES, 100), (
            f"{name}: {scores}; short: {short}; benchmarkIndex {index}, CPU slowdown {slowdown}"
        )
    # The signed-in run was given the cadre's home (its size, give or take a token), not
    # the visitors' page.
    own = len(client.get("/").content)
    assert abs(results["cadre-home"][2] - own) < 200, (results["cadre-home"][2], own)
    assert abs(results["home"][2] - own) > 500, (results["home"][2], own)


def test_only_a_lost_trace_runs_lighthouse_again():
    def run(code, stderr):
        return subprocess.CompletedProcess([], code, "", stderr)

    lost = (
        "Runtime error encountered: Something went wrong with recording the trace over your "
        "page load. Please run Lighthouse again. (NO_NAVSTART)"
    )
    assert trace_lost(run(1, lost))
    assert not trace_lost(run(0, lost))
    assert not trace_lost(run(1, "Runtime error encountered: (ERRORED_DOCUMENT_REQUEST)"))
    assert not trace_lost(run(1, "Unable to connect to Chrome"))


def test_the_cpu_slowdown_emulates_the_same_phone_on_any_host():
    # Lighthouse's default on a high-end desktop, the documented 2x on a low-end one.
    assert cpu_slowdown(1760) == 4
    assert cpu_slowdown(2500) == 4
    assert cpu_slowdown(1250) == pytest.approx(2.84)
    assert cpu_slowdown(880) == 2
    # A host as slow as the phone, or slower, is not sped up.
    assert cpu_slowdown(440) == 1
    assert cpu_slowdown(200) == 1


def test_the_first_run_stands_for_the_home_page_when_it_was_made_as_strictly_or_more():
    perfect = dict.fromkeys(CATEGORIES, 100)
    assert first_run_counts(4, perfect)
    assert first_run_counts(4, {**perfect, "performance": 97})  # the same phone: its result
    assert first_run_counts(2.5, perfect)  # a slower phone scored 100
    assert not first_run_counts(2.5, {**perfect, "performance": 97})  # so run it at 2.5
    assert not first_run_counts(2.5, {**perfect, "seo": 92})


def test_performance_alone_short_is_judged_by_the_median_of_three_runs():
    perfect = dict.fromkeys(CATEGORIES, 100)

    def runs(*performances):
        """An audit_again that gives these performance scores, one a run, and counts them."""
        given = iter(performances)
        made = []

        def audit_again():
            made.append(1)
            return ({**perfect, "performance": next(given)}, [], 50_000, 2600.0)

        return audit_again, made

    again, made = runs()
    assert judged_performance((perfect, [], 50_000, 2600.0), again)[0] == perfect
    assert made == []  # a full score is not audited again
    # One slow run among three: the page stands at 100.
    again, made = runs(100, 100)
    slow = ({**perfect, "performance": 96}, ["total-blocking-time: 240 ms"], 50_000, 2600.0)
    scores, short, *_ = judged_performance(slow, again)
    assert scores == perfect
    assert len(made) == 2
    assert short == ["total-blocking-time: 240 ms", "performance runs: [96, 100, 100]"]
    # Slow in two runs of three: it falls short, and the test fails.
    again, _ = runs(97, 100)
    assert judged_performance(slow, again)[0]["performance"] == 97
    # Another category short is a finding, never run again.
    again, made = runs(100, 100)
    broken = ({**perfect, "performance": 96, "seo": 92}, [], 50_000, 2600.0)
    assert judged_performance(broken, again) == broken
    assert made == []
