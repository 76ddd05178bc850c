"""The public verification page of certificates, mounted at /sertifikat/ by forkom/urls.py."""

from django.urls import path

from trainings import views

app_name = "certificates"
urlpatterns = [
    path("<str:code>/", views.verify_certificate, name="verify"),
]
