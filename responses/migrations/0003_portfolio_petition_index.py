from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("responses", "0002_paragraph_reuse")]

    operations = [
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                fields=["portfolio", "petition"], name="response_portfolio_petition"
            ),
        ),
    ]
