from django.db import models

from petitions.models import Petition


class StoredJson(models.Model):
    """A petition's public JSON in one language, as PostgreSQL built it (`browse.stored_json`):
    kept by the exports and the JSON pages, forgotten by triggers when what it shows changes."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)  # fmt: skip
    language = models.CharField(max_length=2)
    # The build it came from: a digest of the statement that built it (`stored_json.builder`).
    build = models.CharField(max_length=16)
    body = models.TextField()

    class Meta:
        db_table = "petition_json"
        constraints = [
            models.UniqueConstraint(fields=["petition", "language"], name="petition_json_once")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} ({self.language})"


class FacetTally(models.Model):
    """How many public petitions have each value of a list facet, kept by triggers in the
    writing transaction (migration `0002_facet_tally`, `browse.tally`): the whole archive's
    facets and count without counting the archive."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)
    n = models.BigIntegerField()

    class Meta:
        db_table = "facet_tally"
        constraints = [models.UniqueConstraint(fields=["facet", "value"], name="facet_tally_once")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.n}"
