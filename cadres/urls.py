from django.urls import path

from cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("persetujuan/", views.consent, name="consent"),
    path("daftar/", views.register, name="register"),
    path("daftar-kader/", views.cadre_list, name="list"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/verifikasi/", views.verify, name="verify"),
    path("<uuid:public_id>/tolak/", views.reject, name="reject"),
]
