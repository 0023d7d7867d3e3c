from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from anju.api import api

urlpatterns: list = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("anju.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "anju.web.views.errors.bad_request"
handler403 = "anju.web.views.errors.forbidden"
handler404 = "anju.web.views.errors.not_found"
handler500 = "anju.web.views.errors.server_error"
