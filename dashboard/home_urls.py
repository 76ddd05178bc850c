"""`/`, which the dashboard app answers: it knows every app's work for the role home."""

from django.urls import path

from dashboard import views

urlpatterns = [path("", views.landing, name="home")]
