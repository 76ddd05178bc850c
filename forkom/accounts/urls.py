from django.urls import path

from forkom.accounts import views

app_name = "accounts"
urlpatterns = [
    path("undangan/<str:token>/", views.invitation, name="invitation"),
]
