"""The personal-data statement a cadre agrees to (templates/cadres/consent_text.html).

Change CONSENT_VERSION whenever that text changes in substance: everyone is asked again.
"""

CONSENT_VERSION = "2026-01"
