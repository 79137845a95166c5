from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from petitions.site_views import robots_txt
from petitions.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("petitions.urls")),
    path("stats/", include("responses.urls")),
    path("", include("documents.urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
]

handler404 = "petitions.views.not_found"
