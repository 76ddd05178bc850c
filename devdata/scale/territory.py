"""The region table as the seeder reads it: kelurahan, their kota and names."""

from collections import defaultdict

from forkom.territory.models import Region


class Territory:
    """The active regions as index-linked lists: kelurahan → kecamatan → kota → provinsi."""

    def __init__(self):
        rows = Region.objects.active().values_list("code", "name", "level", "kind", "parent_id")
        by_level = defaultdict(list)
        for row in rows:
            by_level[row[2]].append(row)
        provinces = sorted(by_level[1])
        self.province_codes = [code for code, *_rest in provinces]
        self.province_names = [name for _code, name, *_rest in provinces]
        province_index = {code: index for index, code in enumerate(self.province_codes)}
        self.kota_codes, self.kota_names, self.kota_province = [], [], []
        for code, name, _level, _kind, parent in sorted(by_level[2]):
            if parent in province_index:
                self.kota_codes.append(code)
                self.kota_names.append(name)
                self.kota_province.append(province_index[parent])
        kota_index = {code: index for index, code in enumerate(self.kota_codes)}
        self.kecamatan_codes, self.kecamatan_names, self.kecamatan_kota = [], [], []
        for code, name, _level, _kind, parent in sorted(by_level[3]):
            if parent in kota_index:
                self.kecamatan_codes.append(code)
                self.kecamatan_names.append(name)
                self.kecamatan_kota.append(kota_index[parent])
        kecamatan_index = {code: index for index, code in enumerate(self.kecamatan_codes)}
        self.kelurahan_codes, self.kelurahan_names, self.kelurahan_kecamatan = [], [], []
        self.kelurahan_is_desa = []
        self.kecamatan_kelurahan = [[] for _ in self.kecamatan_codes]
        for code, name, _level, kind, parent in sorted(by_level[4]):
            if parent in kecamatan_index:
                index = len(self.kelurahan_codes)
                self.kelurahan_codes.append(code)
                self.kelurahan_names.append(name)
                self.kelurahan_kecamatan.append(kecamatan_index[parent])
                self.kelurahan_is_desa.append(kind != Region.Kind.KELURAHAN)
                self.kecamatan_kelurahan[kecamatan_index[parent]].append(index)

    def kota_of_kelurahan(self, kelurahan):
        return self.kecamatan_kota[self.kelurahan_kecamatan[kelurahan]]

    def place_name(self, kelurahan):
        word = "Desa" if self.kelurahan_is_desa[kelurahan] else "Kelurahan"
        return f"{word} {self.kelurahan_names[kelurahan]}"
