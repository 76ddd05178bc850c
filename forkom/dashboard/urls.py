from django.urls import path

from forkom.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("kota/<str:code>/", views.city, name="city"),
    path("kota/<str:code>/ekspor.<str:format>", views.city_export, name="city_export"),
    path(
        "kota/<str:code>/kecamatan/<str:kecamatan_code>/",
        views.city_kecamatan,
        name="city_kecamatan",
    ),
    path(
        "kota/<str:code>/kecamatan/<str:kecamatan_code>/ekspor.<str:format>",
        views.city_kecamatan_export,
        name="city_kecamatan_export",
    ),
    path("provinsi/<str:code>/", views.province, name="province"),
    path("provinsi/<str:code>/ekspor.<str:format>", views.province_export, name="province_export"),
    path("usulan/<uuid:public_id>/keputusan/", views.decide, name="decide"),
]
