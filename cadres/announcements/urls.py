from django.urls import path

from cadres.announcements import views

app_name = "announcements"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("tulis/", views.write, name="write"),
    path("wilayah/<region:code>.atom", views.RegionFeed(), name="feed"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/ubah/", views.edit, name="edit"),
    path("<uuid:public_id>/terbitkan/", views.publish, name="publish"),
    path("<uuid:public_id>/tarik/", views.withdraw, name="withdraw"),
]
