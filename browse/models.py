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


CUBE_COLUMNS = ("portfolio_id", "topic_id", "caucus_id", "kind", "stage", "parliament", "session")


class FacetCube(models.Model):
    """How many public petitions have each combination of topic, sponsor's caucus, kind, stage
    and parliament-session (`portfolio_id` NULL), and how many of them each portfolio answered:
    kept by triggers in the writing transaction (migration `0003_facet_cube`). A list filtered
    by these facets counts its facets from these rows (`browse.facets.cube_counts`)."""

    portfolio_id = models.BigIntegerField(null=True)
    topic_id = models.BigIntegerField(null=True)
    caucus_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=20)
    stage = models.CharField(max_length=30)
    parliament = models.IntegerField(null=True)
    session = models.IntegerField(null=True)
    n = models.BigIntegerField()

    class Meta:
        db_table = "facet_cube"
        constraints = [
            models.UniqueConstraint(
                fields=[*CUBE_COLUMNS],
                name="facet_cube_once",
                nulls_distinct=False,
                # The counts read every column and `n`: index-only scans, not the table's rows.
                include=["n"],
            )
        ]
        # The portfolios facet under a topic (a topic's page, a list filtered by topic): the
        # topic's rows, not every portfolio's, read from the index alone.
        indexes = [
            models.Index(
                fields=["topic_id", "portfolio_id"],
                name="facet_cube_topic",
                include=["caucus_id", "kind", "stage", "parliament", "session", "n"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.portfolio_id} {self.topic_id} {self.kind} {self.stage}: {self.n}"
