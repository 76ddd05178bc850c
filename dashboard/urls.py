from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("kota/<region:code>/", views.city, name="city"),
    path("kota/<region:code>/ekspor.<str:format>", views.city_export, name="city_export"),
    path(
        "kota/<region:code>/kecamatan/<region:kecamatan_code>/",
        views.city_kecamatan,
        name="city_kecamatan",
    ),
    path(
        "kota/<region:code>/kecamatan/<region:kecamatan_code>/ekspor.<str:format>",
        views.city_kecamatan_export,
        name="city_kecamatan_export",
    ),
    path("provinsi/<region:code>/", views.province, name="province"),
    path(
        "provinsi/<region:code>/ekspor.<str:format>", views.province_export, name="province_export"
    ),
    path("usulan/<uuid:public_id>/keputusan/", views.decide, name="decide"),
]
