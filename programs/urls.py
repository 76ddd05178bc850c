from django.urls import path

from programs import views
from programs.innovations import views as innovation_views

app_name = "programs"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("baru/", views.create, name="create"),
    path("menunggu/", views.waiting, name="waiting"),
    path("semua/", views.proposal_list, name="list"),
    path("program/", views.public_list, name="public"),
    path("semua/unduh.<str:kind>", views.export, name="export"),
    path("inovasi/", innovation_views.gallery, name="gallery"),
    path("inovasi/baru/", innovation_views.record, name="innovation_record"),
    path("inovasi/<uuid:public_id>/", innovation_views.innovation, name="innovation"),
    path(
        "inovasi/<uuid:public_id>/terbitkan/",
        innovation_views.publish,
        name="innovation_publish",
    ),
    path(
        "inovasi/<uuid:public_id>/salurkan/",
        innovation_views.channel,
        name="innovation_channel",
    ),
    path(
        "inovasi/<uuid:public_id>/foto/",
        innovation_views.add_photo,
        name="innovation_photo_add",
    ),
    path(
        "inovasi/<uuid:public_id>/foto/<uuid:photo_id>/",
        innovation_views.photo,
        name="innovation_photo",
    ),
    path(
        "inovasi/<uuid:public_id>/foto/<uuid:photo_id>/hapus/",
        innovation_views.remove_photo,
        name="innovation_photo_remove",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/ubah/", views.edit, name="edit"),
    path("<uuid:public_id>/keputusan/", views.transition, name="transition"),
    path("<uuid:public_id>/nama-publik/", views.show_name, name="show_name"),
    path("<uuid:public_id>/komentar/", views.comment, name="comment"),
    path("<uuid:public_id>/lampiran/", views.attach, name="attach"),
    path("<uuid:public_id>/lampiran/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/lampiran/<uuid:attachment_id>/hapus/", views.detach, name="detach"),
]
