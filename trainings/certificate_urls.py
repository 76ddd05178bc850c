"""The public certificate check, mounted at /sertifikat/ by forkom/urls.py: a form to type a
code, and the page of each code."""

from django.urls import path

from trainings import views

app_name = "certificates"
urlpatterns = [
    path("", views.lookup_certificate, name="lookup"),
    path("<str:code>/", views.verify_certificate, name="verify"),
]
