"""Synthetic national-scale data, to measure the portal: `manage.py seed_scale`.

By default 1,000,000 cadres spread over every desa/kelurahan of the national region table
(imported first when missing), 100,000 proposals in every state with their timelines,
10,000 trainings and 500,000 sign-ups, 10,000 innovations, the forums of a share of the
kecamatan and kelurahan with their officers and SK, a Koordinator Kota for every
kabupaten/kota and Dinas staff for every province.

The data follows the portal's rules as the services would have written it: a NIK that
decodes to the cadre's kecamatan, sex and birth date; an event row for every change of
state; officers who are verified cadres of their forum's area; trainings whose seats are
never over-booked. Rows go in with COPY on PostgreSQL and batched INSERTs elsewhere, in
one transaction, so that a failed run leaves nothing behind.

Every account it makes has an address @seed.forkom.invalid and an unusable password.
"""
