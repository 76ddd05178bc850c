from django.urls import path

from forkom.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.region_index, name="index"),
    path("<region:code>/", views.region_detail, name="region"),
]
