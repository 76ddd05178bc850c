"""The seed's sizes, shares and times: what the synthetic country looks like."""

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from django.conf import settings

from devdata.shared_data import NATIONAL_REGIONS

REPO = Path(settings.BASE_DIR)
DEFAULT_REGIONS = NATIONAL_REGIONS
SEED_DOMAIN = "seed.forkom.invalid"
CADRE_EMAIL = "kader{:07d}@" + SEED_DOMAIN
COORDINATOR_EMAIL = "koordinator.{}@" + SEED_DOMAIN
STAFF_EMAIL = "staf.{}@" + SEED_DOMAIN

WITA = timezone(timedelta(hours=8), "WITA")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400.0
HOUR = 3_600.0
# The portal went live at the start of 2024: sign-ups, forums and proposals start then.
PORTAL_START = datetime(2024, 1, 8, 8, 0, tzinfo=WITA).timestamp()

# The pilot is Kota Bontang in Kalimantan Timur: people use the portal most there. These
# shares of the cadres (and so of what they propose and sign up for) live in the pilot kota
# and in the rest of its province; everything else is spread over the whole country.
PILOT_KOTA = "64.74"
PILOT_PROVINCE = "64"
PILOT_KOTA_SHARE = 0.01
PILOT_PROVINCE_SHARE = 0.04

# A cadre's profile: decided within days, mostly verified; some step down later.
DECISION_DAYS = 5.0
STALE_WAITING = 0.10  # never looked at by an officer
REJECTED = 0.06
STEPPED_DOWN = 0.12
FEMALE = 0.62

# Forums: the share of kecamatan and kelurahan with a formed forum (SK and ketua), and with
# a forum that is under way (officers without an SK, or an SK without a ketua).
FORMED_KECAMATAN = 0.55
STARTED_KECAMATAN = 0.10
FORMED_KELURAHAN = 0.25
STARTED_KELURAHAN = 0.08
FORMED_IN_PILOT_KELURAHAN = 0.8
FORUM_MEMBERS = 0.3  # of the verified cadres of a formed kelurahan forum

# Where proposals end up, and how many were returned once and submitted again on the way.
PROPOSAL_STATES = {
    "draft": 0.10,
    "submitted": 0.14,
    "recommended": 0.09,
    "escalated": 0.07,
    "accepted": 0.22,
    "declined": 0.14,
    "returned": 0.12,
    "withdrawn": 0.12,
}
REVISED = 0.10
STEP_DAYS = 6.0
TEAM = 0.3

PUBLISHED = 0.75
CHANNELLED = 0.30
FROM_PROPOSAL = 0.4

# Trainings start from February 2024 until half a year ahead; some are for one body only.
TRAININGS_FROM = datetime(2024, 2, 5, 8, 0, tzinfo=WITA).timestamp()
TRAININGS_AHEAD_DAYS = 180
ONE_BODY_ONLY = 0.2
CANCELLED_SIGNUP = 0.08
ATTENDED = 0.85
