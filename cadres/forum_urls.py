from django.urls import path

from cadres import forum_views as views

app_name = "forums"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/kelola/", views.manage, name="manage"),
    path("<str:code>/kelola/sk/", views.record_sk, name="record_sk"),
    path("<str:code>/kelola/pengurus/", views.appoint, name="appoint"),
    path("<str:code>/kelola/pengurus/akhiri/", views.end_term, name="end_term"),
    path("<str:code>/kelola/anggota/", views.add_member, name="add_member"),
    path("<str:code>/kelola/anggota/keluarkan/", views.remove_member, name="remove_member"),
]
