"""The reference data beside the repository, in ../shared/data: the national region table
and the 20 rows of Kota Bontang. The project reads them there and keeps no copy of its own
(their README: "it never copies these files into its own tree")."""

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NATIONAL_REGIONS = SHARED_DATA / "wilayah_kemendagri_2025.csv"
BONTANG_REGIONS = SHARED_DATA / "bontang_kemendagri.csv"
