"""The sitemap section of context documents: every document's permanent page.

`publish.sitemaps.SITEMAPS` lists the sections; this one is `"documents": DocumentSitemap`.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from documents.models import Document


class DocumentSitemap(Sitemap):
    def items(self):
        return Document.objects.public().order_by("id").only("slug", "updated_at")

    def lastmod(self, document: Document):
        return document.updated_at

    def get_latest_lastmod(self):
        return Document.objects.public().aggregate(latest=Max("updated_at"))["latest"]
