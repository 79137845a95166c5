from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from bench.views import hello
from browse import urls as browse_urls
from publish import urls as publish_urls
from publish.site_views import robots_txt
from publish.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
]
# Every public page in both languages: English unprefixed (as the public contract has it),
# French under /fr/ with the same paths.
urlpatterns += i18n_patterns(
    # One namespace for the petition pages and their exports, feeds and data page.
    path("", include((browse_urls.urlpatterns + publish_urls.urlpatterns, "petitions"))),
    path("stats/", include("publish.stats.urls")),
    path("", include("documents.urls")),
    prefix_default_language=False,
)

if settings.ARCHIVE_BENCH_HELLO:  # the HTTP benchmark's hello world, never on by default
    urlpatterns.append(path("_bench/hello/", hello, name="bench-hello"))

handler404 = "browse.views.not_found"
handler400 = "config.hardening.bad_request"
handler500 = "config.hardening.server_error"
