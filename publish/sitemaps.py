"""The sitemap of every permanent page: `/sitemap.xml` is an index of one sitemap per section.

A new section (context documents, say) is one more line in SITEMAPS.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from documents.sitemaps import DocumentSitemap
from petitions.models import Member, Petition, Topic
from responses.models import Portfolio


class BilingualSitemap(Sitemap):
    """Each entry is the English page (its permanent URL) with its French twin under /fr/ as an
    `hreflang` alternate, so a file holds as many pages as before and names both languages."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        site = f"{protocol}://{domain}"
        for url in urls:
            english = url["location"]
            french = site + "/fr" + english.removeprefix(site)
            url["alternates"] = [
                {"location": english, "lang_code": "en"},
                {"location": french, "lang_code": "fr"},
                {"location": english, "lang_code": "x-default"},
            ]
        return urls


class PetitionSitemap(BilingualSitemap):
    """Every petition's permanent page, ARCHIVE_SITEMAP_LIMIT to a file, oldest in the archive
    first so that a page's URLs stay put as petitions are added."""

    @property
    def limit(self) -> int:
        return settings.ARCHIVE_SITEMAP_LIMIT

    def items(self):
        return Petition.objects.public().order_by("id").only("number", "updated_at")

    def lastmod(self, petition: Petition):
        return petition.updated_at

    def get_latest_lastmod(self):
        """One aggregate rather than Django's default of reading every petition."""
        return Petition.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class ModelSitemap(BilingualSitemap):
    """Every row of a model with a permanent page (its `get_absolute_url`)."""

    model = None

    def items(self):
        return self.model.objects.order_by("id").only("slug")


class VocabularySitemap(ModelSitemap):
    """Topics and portfolios: each entity once (never an alias), at its slug of each language."""

    def items(self):
        return self.model.objects.listed().order_by("id").only("slug", "slug_fr")


class TopicSitemap(VocabularySitemap):
    model = Topic


class PortfolioSitemap(VocabularySitemap):
    model = Portfolio


class MemberSitemap(ModelSitemap):
    model = Member


class PageSitemap(BilingualSitemap):
    """The archive's own pages."""

    def items(self) -> list[str]:
        return [
            "petitions:home",
            "petitions:list",
            "petitions:topics",
            "petitions:ministers",
            "petitions:members",
            "documents:list",
            "stats:index",
            "petitions:about-data",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class BilingualDocumentSitemap(BilingualSitemap, DocumentSitemap):
    """Every context document's page (the interface in both languages; the text as written)."""


SITEMAPS = {
    "pages": PageSitemap,
    "petitions": PetitionSitemap,
    "topics": TopicSitemap,
    "ministers": PortfolioSitemap,
    "members": MemberSitemap,
    "documents": BilingualDocumentSitemap,
}
