"""Where a record came from: one imported version of its page, kept forever."""

from django.db import models
from django.utils import timezone


class Provenance(models.Model):
    """Provenance: one version of a page as it was imported. Never deleted or rewritten."""

    source = models.CharField(max_length=1000, help_text="File name, path or URL it came from.")
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the raw bytes.")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.CharField(max_length=150)

    class Meta:
        abstract = True
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"

    @property
    def public_name(self) -> str:
        """The file name or URL, without the importer's local folders."""
        if "://" in self.source:
            return self.source
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def source_url(self) -> str:
        """The page's web address when staff gave one (http or https only), else ""."""
        return self.source if self.source.lower().startswith(("http://", "https://")) else ""
