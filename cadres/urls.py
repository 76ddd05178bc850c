from django.urls import path

from cadres import views
from cadres.activation import views as activation_views
from cadres.imports import views as import_views

app_name = "cadres"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("persetujuan/", views.consent, name="consent"),
    path("daftar/", views.register, name="register"),
    path("masuk-dengan-kode/", activation_views.sign_in, name="sign_in_with_code"),
    path("daftar-bantuan/", views.register_assisted, name="register_assisted"),
    path("impor/", import_views.start, name="import"),
    path("impor/templat.xlsx", import_views.template, name="import_template"),
    path("impor/<uuid:public_id>/", import_views.detail, name="import_detail"),
    path("impor/<uuid:public_id>/konfirmasi/", import_views.confirm, name="import_confirm"),
    path("impor/<uuid:public_id>/kolom/", import_views.map_columns_view, name="import_map"),
    path("impor/<uuid:public_id>/ditolak.xlsx", import_views.rejected, name="import_rejected"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/unduh/", views.download, name="download"),
    path("data-saya/lihat/", views.my_data_page, name="my_data_page"),
    path("data-saya/data-saya.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("data-saya/ubah/", views.edit, name="edit"),
    path("data-saya/tarik-persetujuan/", views.withdraw_consent, name="withdraw_consent"),
    path("data-saya/minta-hapus/", views.request_deletion, name="request_deletion"),
    path("daftar-kader/", views.cadre_list, name="list"),
    path("daftar-kader/ekspor.<str:format>", views.export, name="export"),
    path("daftar-kader/unduhan/", views.prepared_downloads, name="prepared_downloads"),
    path(
        "daftar-kader/unduhan/<uuid:public_id>/",
        views.prepared_download,
        name="prepared_download",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/verifikasi/", views.verify, name="verify"),
    path("<uuid:public_id>/tolak/", views.reject, name="reject"),
    path("<uuid:public_id>/email-klaim/", views.claim_email, name="claim_email"),
    path("<uuid:public_id>/kode-aktivasi/", activation_views.issue, name="issue_code"),
]
