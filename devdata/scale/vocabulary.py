"""Names, places, notes and lists the synthetic people and proposals are written with."""

from cadres.models import (
    Education,
)
from programs.models import (
    AidKind,
)

GIVEN_FEMALE = [
    "Siti", "Nur", "Dewi", "Rina", "Wulan", "Fitri", "Ayu", "Lestari", "Yuni", "Ratna",
    "Sri", "Indah", "Putri", "Rahmawati", "Nurul", "Aisyah", "Maria", "Fatimah", "Kartini",
    "Endang", "Wahyuni", "Hartati", "Suryani", "Anisa", "Diah", "Eka", "Mega", "Novita",
    "Yohana", "Ni Made", "Ni Luh", "Desi", "Ratih", "Susanti", "Irma", "Halimah", "Marlina",
    "Rosmini", "Nurhayati", "Agustina",
]  # fmt: skip
GIVEN_MALE = [
    "Ahmad", "Budi", "Rudi", "Agus", "Hendra", "Yusuf", "Irfan", "Dedi", "Joko", "Arif",
    "Muhammad", "Andi", "Bambang", "Eko", "Hadi", "Iwan", "Fajar", "Rizki", "Slamet", "Teguh",
    "Yohanes", "I Made", "I Wayan", "Daeng", "La Ode", "Syamsul", "Abdul", "Hasan", "Ridwan",
    "Stefanus", "Fransiskus", "Kadek", "Wahyu", "Dimas", "Gilang", "Imam", "Sutrisno",
    "Ismail", "Herman", "Rahmat",
]  # fmt: skip
FAMILY = [
    "Rahmawati", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Santoso", "Wijaya", "Lestari",
    "Nugroho", "Syahrani", "Maulana", "Handayani", "Setiawan", "Ramadhan", "Utami", "Siregar",
    "Nasution", "Harahap", "Simanjuntak", "Lubis", "Tanjung", "Sitompul", "Manurung",
    "Pangaribuan", "Daulay", "Sinaga", "Tambunan", "Situmorang", "Purba", "Ginting",
    "Tarigan", "Sembiring", "Hasibuan", "Pohan", "Rangkuti", "Batubara", "Wibowo",
    "Susanto", "Gunawan", "Hakim", "Firmansyah", "Suharto", "Purnomo", "Hartono", "Halim",
    "Mahendra", "Anggraini", "Permata", "Sari", "Puspita", "Pane", "Mokodompit", "Lumban",
    "Tuanaya", "Rumbiak", "Wenda", "Kogoya", "Latuconsina", "Pattimura", "Manuhutu",
]  # fmt: skip
STREETS = [
    "Ahmad Yani", "Sudirman", "Diponegoro", "Gatot Subroto", "Pahlawan", "Merdeka",
    "Imam Bonjol", "Kartini", "MT Haryono", "Hasanuddin", "Cut Nyak Dien", "Gajah Mada",
    "Hayam Wuruk", "Pattimura", "Sultan Agung", "Mulawarman", "Bhayangkara", "Pelabuhan",
    "Cendana", "Flamboyan", "Melati", "Mawar", "Kenanga", "Nusantara", "Poros",
]  # fmt: skip
PHONE_PREFIXES = [
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816",
    "855", "856", "857", "858", "817", "818", "819", "859", "877", "878", "831", "832",
    "838", "895", "896", "897", "898", "899", "881", "882", "883", "887", "888",
]  # fmt: skip
EDUCATION = [
    (Education.NONE, 2), (Education.SD, 10), (Education.SMP, 18), (Education.SMA, 45),
    (Education.DIPLOMA, 8), (Education.BACHELOR, 15), (Education.MASTER, 2),
]  # fmt: skip
SKILLS = [
    "Menjahit", "Memasak", "Mengoperasikan komputer", "Public speaking", "Tata rias",
    "Pertukangan", "Budidaya ikan", "Berkebun", "Akuntansi sederhana", "Fotografi",
    "Desain grafis", "Menganyam", "Membatik", "Pertolongan pertama", "Bahasa Inggris",
]  # fmt: skip
REJECTION_REASONS = [
    "NIK tidak sesuai dengan KTP yang dilampirkan.",
    "Bukan warga kelurahan ini; silakan mendaftar di kelurahan domisili.",
    "Data tidak lengkap; mohon lengkapi keanggotaan lembaga.",
    "Terdaftar ganda dengan akun lain.",
]
BODY_WEIGHTS = {
    "Posyandu": 30,
    "PKK": 25,
    "Karang Taruna": 15,
    "LPM": 10,
    "Kader Pemberdayaan Masyarakat": 10,
    "RT/RW": 6,
    "Lembaga adat": 2,
    "Lainnya": 2,
}
BODY_POSITIONS = ["Anggota"] * 6 + ["Kader"] * 3 + ["Ketua", "Sekretaris", "Bendahara"]
# Proposal subjects: (activity, the field of work it belongs to).
ACTIVITIES = [
    ("Pelatihan menjahit dan konveksi", "Ekonomi kreatif/UMKM"),
    ("Budidaya ikan lele dalam ember", "Ekonomi kreatif/UMKM"),
    ("Bank sampah dan daur ulang plastik", "Lingkungan"),
    ("Posyandu remaja", "Kesehatan"),
    ("Taman baca masyarakat", "Pendidikan"),
    ("Pemasaran digital produk UMKM", "Teknologi"),
    ("Pengolahan hasil laut", "Ekonomi kreatif/UMKM"),
    ("Kebun gizi keluarga", "Kesehatan"),
    ("Sanggar seni dan budaya", "Sosial budaya"),
    ("Perbaikan drainase lingkungan", "Infrastruktur"),
    ("Kelas komputer untuk pemuda", "Teknologi"),
    ("Pencegahan stunting", "Kesehatan"),
    ("Administrasi kependudukan keliling", "Pemerintahan"),
    ("Pelatihan barista dan kewirausahaan kopi", "Ekonomi kreatif/UMKM"),
]
TARGET_GROUPS = [
    "ibu rumah tangga", "pemuda putus sekolah", "pelaku UMKM", "lansia", "remaja",
    "nelayan", "petani", "kader posyandu", "penyandang disabilitas", "anak usia sekolah",
]  # fmt: skip
RETURN_NOTES = [
    "Mohon lengkapi rincian anggaran per kegiatan.",
    "Jumlah penerima manfaat perlu dijelaskan sumber datanya.",
    "Jadwal kegiatan belum realistis; mohon disesuaikan.",
]
DECLINE_NOTES = [
    "Kegiatan serupa sudah didanai tahun ini.",
    "Anggaran melebihi pagu program.",
    "Tidak sesuai dengan prioritas program tahun berjalan.",
]
WITHDRAW_NOTES = [
    "Kegiatan sudah didanai dari sumber lain.",
    "Tim pengusul berubah; akan diajukan ulang.",
]
INNOVATIONS = [
    "Aplikasi antrean posyandu",
    "Pupuk organik dari sampah pasar",
    "Kerajinan dari limbah kayu ulin",
    "Keripik rumput laut",
    "Arisan literasi",
    "Ecobrick untuk taman bermain",
    "Jadwal ronda lewat WhatsApp",
    "Minyak goreng bekas menjadi sabun",
]
TRAINING_TOPICS = [
    "Kewirausahaan dan UMKM",
    "Pemasaran Digital",
    "Pengelolaan Keuangan Kelompok",
    "Penyusunan Proposal Program",
    "Kepemimpinan dan Organisasi",
    "Kesehatan Masyarakat",
    "Pengelolaan Sampah",
    "Literasi Digital",
    "Peningkatan Kapasitas Kader",
]
VENUES = [
    "Aula Kantor Kecamatan {kecamatan}",
    "Balai Pertemuan {kecamatan}",
    "Gedung Serbaguna {kecamatan}",
    "Aula Dinas PMPD",
    "Hotel {kecamatan} Indah",
]


WAITING, VERIFIED, REJECTED_STATUS, INACTIVE = range(4)
STATUS_CODES = ("waiting", "verified", "rejected", "inactive")
BODY_K = (1, 1, 1, 1, 1, 1, 2, 2, 2, 3)
FIELDS_TICKED = (0, 1, 1, 2)
NEEDS_TICKED = (0, 0, 1, 1, 2)
AID_KINDS = list(AidKind)
NOTES = {"returned": RETURN_NOTES, "declined": DECLINE_NOTES, "withdrawn": WITHDRAW_NOTES}
AID_NOTES = {
    AidKind.TRAINING: "Pelatihan keterampilan bagi peserta.",
    AidKind.GOVERNMENT: "Bantuan peralatan dan bahan.",
    AidKind.CSR: "Dukungan perusahaan sekitar.",
    AidKind.BANK_LOAN: "Kredit usaha rakyat.",
    AidKind.MENTORING: "Pendampingan selama enam bulan.",
}
