"""Move the texts of records imported from a French page into the French columns.

Before, a petition's texts were in the language of its latest page (`page_language`). A
French page's texts now live in the `_fr` columns (the English ones left blank), as do the
names of topics, portfolios and caucuses and the ridings used only by French pages. Each kept
page gets its language, each petition its latest page of each language, and the known
English/French pairs of names (`petitions.pairs`) are applied.
"""

import re

from django.db import migrations
from django.db.models import F

from petitions import pairs

FRENCH_LABELS = re.compile(
    r"Pétition (?:électronique|papier)|Langue d'origine|Ouverte pour signature|"
    r"Présentée à la Chambre|Réponse du gouvernement"
)


def page_language(raw_text: str) -> str:
    """A kept page's language, from the labels only a French page prints."""
    return "fr" if FRENCH_LABELS.search(raw_text) else "en"


def only_french(queryset, path: str):
    """The rows of `queryset` whose every petition (through `path`) is a French page."""
    return queryset.filter(**{f"{path}__page_language": "fr"}).exclude(
        **{f"{path}__page_language": "en"}
    )


def forwards(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    french = Petition.objects.filter(page_language="fr")
    french.update(
        addressee_fr=F("addressee"), addressee="",
        prayer_text_fr=F("prayer_text"), prayer_text="",
        initiator_province_text_fr=F("initiator_province_text"), initiator_province_text="",
    )  # fmt: skip
    for name in ("petitions.Grievance", "petitions.PrayerItem", "responses.Response"):
        apps.get_model(name).objects.filter(petition__page_language="fr").update(
            text_fr=F("text"), text=""
        )
    move_names(apps)
    Member = apps.get_model("petitions", "Member")
    sponsors = only_french(Member.objects.all(), "sponsored_petitions")
    members = sponsors.exclude(presented_petitions__page_language="en").distinct()
    Member.objects.filter(pk__in=members.values("pk")).update(riding_fr=F("riding"), riding="")
    source_languages(apps)
    for model, kind in (("petitions.Topic", "topic"), ("responses.Portfolio", "portfolio")):
        pairs.apply(apps.get_model(model), kind)
    pairs.apply(apps.get_model("petitions", "Caucus"), "caucus")


def move_names(apps):
    """Names used only by French pages become French names (their slug, the French slug)."""
    english_caucuses = [en for en, _ in pairs.CAUCUSES]
    Topic = apps.get_model("petitions", "Topic")
    Portfolio = apps.get_model("responses", "Portfolio")
    Caucus = apps.get_model("petitions", "Caucus")
    topics = only_french(Topic.objects.all(), "petitions").distinct()
    portfolios = only_french(Portfolio.objects.all(), "responses__petition").distinct()
    caucuses = (
        only_french(Caucus.objects.all(), "members__sponsored_petitions")
        .exclude(members__presented_petitions__page_language="en")
        .exclude(name__in=english_caucuses)
        .distinct()
    )
    for model, rows in ((Topic, topics), (Portfolio, portfolios), (Caucus, caucuses)):
        model.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
            name_fr=F("name"), name="", slug_fr=F("slug")
        )


def source_languages(apps):
    SourceRecord = apps.get_model("petitions", "SourceRecord")
    Petition = apps.get_model("petitions", "Petition")
    for source in SourceRecord.objects.only("raw_text").iterator():
        SourceRecord.objects.filter(pk=source.pk).update(language=page_language(source.raw_text))
    for petition in Petition.objects.exclude(latest_source=None).only("page_language"):
        SourceRecord.objects.filter(pk=petition.latest_source_id).update(
            language=petition.page_language
        )
        latest = {}
        for source in SourceRecord.objects.filter(petition=petition).order_by("imported_at", "id"):
            latest[source.language] = source.pk
        Petition.objects.filter(pk=petition.pk).update(
            source_en_id=latest.get("en"), source_fr_id=latest.get("fr")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0010_bilingual_texts"),
        ("responses", "0004_bilingual_texts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
