"""Write a sheet of N valid cadres for Kota Bontang, to time `manage.py import_cadres`.

    python bench/import_cadres.py 10000 /tmp/kader-10000.xlsx

Every row is a different, structurally valid NIK of one of Bontang's kecamatan, with the
kelurahan written by name, as Dinas' sheets do (docs/performance.md has the figures).
"""

import sys
from datetime import date, timedelta

from openpyxl import Workbook

KELURAHAN = {
    "647401": ["Bontang Kuala", "Bontang Baru", "Lok Tuan", "Guntung", "Gunung Elai", "Api-api"],
    "647402": ["Tanjung Laut", "Berbas Tengah", "Berbas Pantai", "Satimpo", "Bontang Lestari"],
    "647403": ["Belimbing", "Gunung Telihan", "Kanaan"],
}
HEADER = [
    "NIK", "Nama Lengkap", "Jenis Kelamin", "Tempat Lahir", "Tgl Lahir", "No HP", "Alamat",
    "Kelurahan", "Pendidikan", "Lembaga", "Jabatan",
]  # fmt: skip


def letters(number):
    """A different name for each row: KTP names hold no digits."""
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not number:
            return text.capitalize()


def rows(count):
    first_day = date(1960, 1, 1)
    kecamatan = list(KELURAHAN)
    for number in range(count):
        code = kecamatan[number % 3]
        born = first_day + timedelta(days=number // 9 % 12_000)
        serial = number % 9 + 1 + 10 * (number // 108_000)
        female = number % 2
        day = born.day + 40 * female
        nik = f"{code}{day:02d}{born:%m%y}{serial:04d}"
        names = KELURAHAN[code]
        yield [
            nik,
            f"Kader {letters(number)}",
            "P" if female else "L",
            "Bontang",
            born.strftime("%d-%m-%Y"),
            f"0812{number:08d}",
            f"Jl. Uji No. {number}",
            names[number % len(names)],
            "SMA",
            "Posyandu",
            "Kader",
        ]


def main(count, path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kader")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    workbook.save(path)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
