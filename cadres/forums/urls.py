from django.urls import path

from cadres.forums import views as views

app_name = "forums"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<region:code>/", views.detail, name="detail"),
    path("<region:code>/kelola/", views.manage, name="manage"),
    path("<region:code>/kelola/sk/", views.record_sk, name="record_sk"),
    path("<region:code>/kelola/pengurus/", views.appoint, name="appoint"),
    path("<region:code>/kelola/pengurus/akhiri/", views.end_term, name="end_term"),
    path("<region:code>/kelola/anggota/", views.add_member, name="add_member"),
    path("<region:code>/kelola/anggota/keluarkan/", views.remove_member, name="remove_member"),
]
