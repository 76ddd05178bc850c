from django.urls import path

from cadres.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("baru/", views.schedule, name="schedule"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/jawab/", views.answer, name="answer"),
    path("<uuid:public_id>/notulen/", views.minutes, name="minutes"),
    path("<uuid:public_id>/terbitkan-notulen/", views.publish_minutes, name="publish_minutes"),
    path(
        "<uuid:public_id>/tindak-lanjut/<int:follow_up_id>/selesai/",
        views.complete_follow_up,
        name="complete_follow_up",
    ),
    path("<uuid:public_id>/rapat.ics", views.ics, name="ics"),
    path("<uuid:public_id>/cetak/", views.sheet, name="sheet"),
    path("<uuid:public_id>/notulen.pdf", views.pdf, name="pdf"),
]
