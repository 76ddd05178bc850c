from django.contrib import admin
from django.urls import include, path

from forkom import converters, views

converters.register()  # before the apps' URLs below use them

handler400 = views.bad_request

urlpatterns = [
    # The public home for visitors, the role home once signed in (dashboard.views.landing).
    path("", include("dashboard.home_urls")),
    path("privasi/", views.privacy, name="privacy"),
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("ikon-<int:size>.png", views.icon, name="icon"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("pratinjau.png", views.og_image, name="og_image"),
    path("wilayah/", include("forkom.territory.urls")),
    path("kader/", include("cadres.urls")),
    path("forum/", include("cadres.forums.urls")),
    path("pelatihan/", include("trainings.urls")),
    path("sertifikat/", include("trainings.certificate_urls")),
    path("usulan/", include("programs.urls")),
    path("dasbor/", include("dashboard.urls")),
    path("pengumuman/", include("cadres.announcements.urls")),
    path("rapat/", include("cadres.meetings.urls")),
    path("notifikasi/", include("forkom.notifications.urls")),
    path("akun/", include("forkom.accounts.urls")),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
