from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0005_history")]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["topic", "kind", "parliament", "session", "stage", "closed_at", "sponsor"],
                name="petition_facets",
            ),
        ),
    ]
