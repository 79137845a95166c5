"""A presented petition left unanswered when its Parliament (the 44th or before) was dissolved is
"not answered before dissolution". PostgreSQL cannot change a generated column's expression, so
the column is dropped and added again (every row re-derived), with the two indexes that hold it.
The next dissolution (`parliaments.DISSOLVED_ON`) needs a migration of the same shape."""

from django.db import migrations, models

STAGE = models.GeneratedField(
    db_persist=True,
    expression=models.Case(
        models.When(models.Q(("end_state", ""), _negated=True), then=models.F("end_state")),
        models.When(response_tabled_on__isnull=False, then=models.Value("responded")),
        models.When(
            parliament__lte=44,
            presented_on__isnull=False,
            then=models.Value("unanswered_dissolution"),
        ),
        models.When(presented_on__isnull=False, then=models.Value("presented")),
        default=models.Value("signing"),
    ),
    output_field=models.CharField(
        choices=[
            ("signing", "Signing period"),
            ("presented", "Presented, awaiting response"),
            ("responded", "Response tabled"),
            ("not_certified", "Not certified"),
            ("closed_dissolution", "Closed upon dissolution"),
            ("unanswered_dissolution", "Not answered before dissolution"),
        ],
        max_length=30,
    ),
)
INDEXES = [
    models.Index(fields=["stage", "closed_at"], name="petition_stage"),
    models.Index(
        fields=["topic", "kind", "parliament", "session", "stage", "closed_at", "sponsor"],
        name="petition_facets",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("petitions", "0007_petition_keywords")]

    operations = [
        *[migrations.RemoveIndex("petition", index.name) for index in INDEXES],
        migrations.RemoveField("petition", "stage"),
        migrations.AddField("petition", "stage", STAGE),
        *[migrations.AddIndex("petition", index) for index in INDEXES],
    ]
