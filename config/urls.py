from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("petitions.urls")),
]

handler404 = "petitions.views.not_found"
