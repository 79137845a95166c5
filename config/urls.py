from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from publish.site_views import robots_txt
from publish.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("browse.urls")),
    path("stats/", include("publish.stats.urls")),
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

handler404 = "browse.views.not_found"
