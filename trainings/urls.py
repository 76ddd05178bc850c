from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("kelola/", views.manage, name="manage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/daftar/", views.register, name="register"),
    path("<int:pk>/batal/", views.cancel, name="cancel"),
    path("<int:pk>/kalender.ics", views.ics, name="ics"),
    path("<int:pk>/sertifikat.pdf", views.certificate, name="certificate"),
    path("<int:pk>/peserta/", views.participants, name="participants"),
    path("<int:pk>/peserta.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/peserta.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/kehadiran/", views.attendance, name="attendance"),
    path("<int:pk>/kapasitas/", views.capacity, name="capacity"),
    path("<int:pk>/daftar-hadir/", views.attendance_sheet, name="sheet"),
]
