from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("kelola/", views.manage, name="manage"),
    path("saya/", views.mine, name="mine"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/daftar/", views.register, name="register"),
    path("<id:pk>/batal/", views.cancel, name="cancel"),
    path("<id:pk>/kalender.ics", views.ics, name="ics"),
    path("<id:pk>/sertifikat.pdf", views.certificate, name="certificate"),
    path("<id:pk>/peserta/", views.participants, name="participants"),
    path("<id:pk>/peserta.csv", views.export_csv, name="export_csv"),
    path("<id:pk>/peserta.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<id:pk>/kehadiran/", views.attendance, name="attendance"),
    path("<id:pk>/kapasitas/", views.capacity, name="capacity"),
    path("<id:pk>/daftar-hadir/", views.attendance_sheet, name="sheet"),
    path("<id:pk>/terbitkan/", views.publish, name="publish"),
    path("<id:pk>/batalkan/", views.cancel_training, name="cancel_training"),
    path("<id:pk>/selesai/", views.finish, name="finish"),
    path("<id:pk>/hadir/", views.check_in, name="check_in"),
    path("<id:pk>/kode-hadir.png", views.checkin_qr, name="checkin_qr"),
]
