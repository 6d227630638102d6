from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sessions.views import pages as dialogue_pages

urlpatterns = [
    path("", include("sessions.urls")),
    path("", include("interviews.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", dialogue_pages.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
