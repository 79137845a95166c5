"""One record, two languages: a petition's English and French pages fill one record."""

import re

import pytest
from django.db import connection
from django.utils import translation

from petitions.i18n import Localised, pick, pick_rows
from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, SourceRecord, Topic
from petitions.pairs import PAIRS
from petitions.vocabulary import merge
from responses.models import Portfolio, Response
from tests.conftest import FIXTURES, run_import, text_of

EN, FR = FIXTURES / "pairs" / "e-1961.en.txt", FIXTURES / "pairs" / "e-1961.fr.txt"
SEED = FIXTURES / "seeds" / "000_a8d79ecdfe984ecd.txt"

# Seed 000 (e-2835) with its labels in French, as the House prints them (see samples/e-701.fr).
FRENCH_LABELS = [
    ("e-2835 (Foreign affairs)", "e-2835 (Affaires étrangères)"),
    ("Initiated by mimi lee from Markham, Ontario", "Lancée par mimi lee de Markham (Ontario)"),
    ("Original language of petition: English", "Langue d'origine de la pétition : Anglais"),
    ("Petition to the House of Commons", "Pétition à la Chambre des communes"),
    ("  • ", "  • Attendu que "),
    (
        "We, the undersigned, citizens and residents of Canada, call upon the House of Commons to:",
        "Nous, soussignés, citoyens et résidents du Canada, prions la Chambre des communes de :",
    ),
    ("1. Reaffirm", "1. Réaffirmer"),
    (
        "Response by the Minister of Foreign Affairs",
        "Réponse de la ministre des Affaires étrangères",
    ),
    (
        "Signed by (Minister or Parliamentary Secretary): Rob Oliphant",
        "Signée par (ministre ou secrétaire parlementaire) : Rob Oliphant, député",
    ),
    ("Foreign interference can harm", "L'ingérence étrangère peut nuire"),
    ("Open for signature", "Ouverte pour signature"),
    ("September 15, 2020, at 3:23 p.m. (EDT)", "15 septembre 2020 à 15 h 23 (HAE)"),
    ("Closed for signature", "Fermée pour signature"),
    ("October 15, 2020, at 3:23 p.m. (EDT)", "15 octobre 2020 à 15 h 23 (HAE)"),
    ("Presented to the House of Commons", "Présentée à la Chambre des communes"),
    ("November 27, 2020 (Petition No. 432-00309)", "27 novembre 2020 (Pétition no 432-00309)"),
    (
        "Government response tabled\nJanuary 25, 2021",
        "Réponse du gouvernement déposée\n25 janvier 2021",
    ),
    ("Conservative Caucus", "Caucus conservateur"),
]


def french_seed(tmp_path, *, older: bool = False):
    """Seed 000's French page; `older`: captured before it was presented and answered."""
    text = SEED.read_text()
    text = text[: text.index("Disclaimer regarding petitions")]
    for english, french in FRENCH_LABELS:
        text = text.replace(english, french)
    if older:
        text = re.sub(r"Réponse de la ministre.*?(?=Ouverte pour signature)", "", text, flags=re.S)
        text = re.sub(r"Présentée à la Chambre.*?(?=Photo - )", "", text, flags=re.S)
    path = tmp_path / ("e-2835.older.fr.txt" if older else "e-2835.fr.txt")
    path.write_text(text)
    return path


def english_columns(number: str) -> list:
    """Every English text of a petition, byte for byte."""
    p = Petition.objects.for_detail().get(number=number)
    return [
        p.addressee, p.prayer_text, p.initiator_province_text, p.topic.name,
        [g.text for g in p.grievances.all()], [i.text for i in p.prayer_items.all()],
        [(r.text, r.portfolio.name if r.portfolio else "") for r in p.responses.all()],
        p.sponsor.riding if p.sponsor else "",
    ]  # fmt: skip


def french_columns(number: str) -> list:
    p = Petition.objects.for_detail().get(number=number)
    return [
        p.addressee_fr, p.prayer_text_fr, p.initiator_province_text_fr, p.topic.name_fr,
        [g.text_fr for g in p.grievances.all()], [i.text_fr for i in p.prayer_items.all()],
        [(r.text_fr, r.portfolio.name_fr if r.portfolio else "") for r in p.responses.all()],
        p.sponsor.riding_fr if p.sponsor else "",
    ]  # fmt: skip


@pytest.mark.parametrize("order", [(EN, FR), (FR, EN)], ids=["en-fr", "fr-en"])
def test_both_orders_give_one_record_with_both_languages(db, order):
    first, second = order
    run_import(first)
    before = (english_columns if first == EN else french_columns)("e-1961")
    assert "e-1961 updated" in run_import(second)
    assert (english_columns if first == EN else french_columns)("e-1961") == before
    p = Petition.objects.for_detail().get(number="e-1961")
    assert (Petition.objects.count(), Topic.objects.count()) == (1, 1)
    assert (p.topic.name, p.topic.name_fr) == ("Canadian heritage", "Patrimoine canadien")
    assert (p.topic.slug, p.topic.slug_fr) == (
        "canadian-heritage" if first == EN else "patrimoine-canadien",
        "patrimoine-canadien",
    )
    assert (p.addressee, p.addressee_fr) == ("Government of Canada", "gouvernement du Canada")
    assert [g.text[:14] for g in p.grievances.all()] == ["The Coat of Ar"] * 3
    assert [g.text_fr[:14] for g in p.grievances.all()] == ["Les armoiries "] * 3
    assert p.prayer_text.startswith("We, the undersigned")
    assert p.prayer_text_fr.startswith("Nous, soussignés")
    assert (p.sponsor.riding, p.sponsor.riding_fr) == ("Winnipeg Centre", "Winnipeg-Centre")
    assert (p.sponsor.caucus.name, p.sponsor.caucus.name_fr) == ("Liberal", "Libéral")
    [response] = p.responses.all()
    assert response.sessional_paper == "8545-421-88-13"
    assert (p.source_en.language, p.source_fr.language) == ("en", "fr")
    assert p.page_language == ("fr" if second == FR else "en")
    # Either page again changes nothing.
    assert "e-1961 unchanged" in run_import(EN)
    assert "e-1961 unchanged" in run_import(FR)
    assert p.history.count() == 2


def test_french_page_never_touches_the_english_texts(db, tmp_path):
    run_import(SEED)
    english = english_columns("e-2835")
    out = run_import(french_seed(tmp_path))
    # The topic is a known pair: its French name came with the English page.
    assert "e-2835 updated (initiator_province_text, addressee, grievances," in out
    assert english_columns("e-2835") == english  # byte for byte
    p = Petition.objects.for_detail().get(number="e-2835")
    assert p.addressee_fr == "Chambre des communes"
    assert all(g.text_fr.startswith("Attendu que ") for g in p.grievances.all())
    [response] = p.responses.all()
    assert response.text_fr.startswith("L'ingérence étrangère peut nuire")
    assert (response.portfolio.name, response.portfolio.name_fr) == (
        "Minister of Foreign Affairs",
        "ministre des Affaires étrangères",  # "la ministre": gender is not another portfolio
    )
    assert (response.signer.name, p.initiator_name) == ("Rob Oliphant", "mimi lee")
    assert (p.sponsor.caucus.name, p.sponsor.caucus.name_fr) == ("Conservative", "Conservateur")
    assert (Topic.objects.count(), Portfolio.objects.count(), Caucus.objects.count()) == (1, 1, 1)
    record = p.history.latest()
    assert record.history_change_reason.endswith("(French page)")
    assert "e-2835 unchanged" in run_import(SEED)
    assert "e-2835 unchanged" in run_import(french_seed(tmp_path))


def test_an_older_french_capture_keeps_the_facts_and_adds_its_texts(db, tmp_path):
    """The French page captured before the presentation and the response removes nothing."""
    run_import(SEED)
    english = english_columns("e-2835")
    out = run_import(french_seed(tmp_path, older=True))
    assert "would remove" not in out and "e-2835 updated" in out
    p = Petition.objects.for_detail().get(number="e-2835")
    assert english_columns("e-2835") == english
    assert (str(p.presented_on), p.presented_number, str(p.response_tabled_on)) == (
        "2020-11-27",
        "432-00309",
        "2021-01-25",
    )
    [response] = p.responses.all()
    assert response.text.startswith("Foreign interference") and response.text_fr == ""
    assert p.addressee_fr == "Chambre des communes"
    assert "e-2835 unchanged" in run_import(french_seed(tmp_path, older=True))
    # The later French page brings the response's French text.
    assert "e-2835 updated (responses)" in run_import(french_seed(tmp_path))


def test_an_older_page_of_the_same_language_is_still_a_removal(db, tmp_path):
    run_import(french_seed(tmp_path))
    out = run_import(french_seed(tmp_path, older=True), fails=True)
    assert "would remove: the presentation (November 27, 2020, 432-00309)" in out


def test_a_fact_the_pages_disagree_on_is_an_update_in_the_history(db, tmp_path):
    run_import(SEED)
    french = french_seed(tmp_path)
    french.write_text(french.read_text().replace("25 janvier 2021", "26 janvier 2021"))
    out = run_import(french)
    assert "response_tabled_on" in out.split("e-2835 updated (")[1].split(")")[0]
    p = Petition.objects.get(number="e-2835")
    assert str(p.response_tabled_on) == "2021-01-26"
    record = p.history.latest()
    assert str(record.response_tabled_on) == "2021-01-26"
    assert str(record.prev_record.response_tabled_on) == "2021-01-25"
    assert record.history_change_reason == f"Imported from {french} (French page)"


def test_known_pairs_are_shipped_and_used(db):
    assert ("Canadian heritage", "Patrimoine canadien") in PAIRS["topic"]
    assert ("Minister of Foreign Affairs", "ministre des Affaires étrangères") in PAIRS["portfolio"]
    run_import(FIXTURES / "samples" / "e-701.fr.txt")  # French only: the pair gives the English
    topic = Petition.objects.get(number="e-701").topic
    assert (topic.name, topic.name_fr) == (
        "Environmental protection",
        "Protection de l'environnement",
    )


def test_merging_keeps_the_alias_slug_resolvable(db):
    english = Topic.objects.create(name="Canadian heritage", slug="canadian-heritage")
    french = Topic.objects.create(name_fr="Patrimoine canadien", slug="patrimoine-canadien")
    from tests.factories import PetitionFactory

    petition = PetitionFactory(topic=french)
    merge(french, english)
    english.refresh_from_db()
    assert (english.name, english.name_fr, english.slug_fr) == (
        "Canadian heritage",
        "Patrimoine canadien",
        "patrimoine-canadien",
    )
    petition.refresh_from_db()
    assert petition.topic_id == english.pk
    assert Topic.objects.by_slug("patrimoine-canadien") == english
    assert Topic.objects.by_slug("canadian-heritage") == english
    assert Topic.objects.by_slug("nothing") is None
    assert list(Topic.objects.listed()) == [english]
    assert Topic.objects.filter(pk=french.pk).exists()  # never deleted


def test_importing_pairs_two_entities_created_separately(db, tmp_path):
    """One topic created from a French page and one from an English page (not a known pair):
    the petition's two pages pair them, and the French one becomes an alias."""
    renamed = {EN: ("Canadian heritage", "Coat of arms"), FR: ("Patrimoine canadien", "Armoiries")}
    paths = {}
    for page, (printed, name) in renamed.items():
        paths[page] = tmp_path / page.name
        paths[page].write_text(page.read_text().replace(f"({printed})", f"({name})"))
    run_import(paths[FR])
    french_topic = Petition.objects.get(number="e-1961").topic
    Topic.objects.create(name="Coat of arms", slug="coat-of-arms")
    assert "e-1961 updated (topic," in run_import(paths[EN])
    topic = Petition.objects.get(number="e-1961").topic
    assert (topic.name, topic.name_fr, topic.slug) == ("Coat of arms", "Armoiries", "coat-of-arms")
    assert Topic.objects.by_slug(french_topic.slug) == topic
    assert list(Topic.objects.listed()) == [topic]
    assert "e-1961 unchanged" in run_import(paths[FR])


def test_localised_pick_and_accessors(db):
    assert pick("Health", "Santé", "fr") == Localised("Santé", "fr", "fr")
    only_english = pick("Health", "", "fr")
    assert (only_english.text, only_english.lang, only_english.is_fallback) == (
        "Health",
        "en",
        True,
    )
    assert not pick("", "", "en").is_fallback and str(pick("", "", "en")) == ""
    assert pick("Health", "Santé", "fr-ca").text == "Santé"
    run_import(EN)
    p = Petition.objects.for_detail().get(number="e-1961")
    with translation.override("fr"):
        assert p.local_addressee == Localised("Government of Canada", "en", "fr")
        assert p.local_addressee.is_fallback
        assert [g.lang for g in p.local_grievances()] == ["en"] * 3
        assert p.topic.local_slug == "patrimoine-canadien"  # a known pair
        assert str(p.topic) == "Patrimoine canadien"
    run_import(FR)
    p = Petition.objects.for_detail().get(number="e-1961")
    with translation.override("fr"):
        assert p.local_addressee == Localised("gouvernement du Canada", "fr", "fr")
        assert p.local_prayer_text.text.startswith("Nous, soussignés")
        assert p.local_province_text.text == "Manitoba"
        assert [g.text[:3] for g in p.local_grievances()] == ["Les"] * 3
        assert (p.topic.local_name.text, p.topic.local_slug) == (
            "Patrimoine canadien",
            "patrimoine-canadien",
        )
        assert p.sponsor.local_riding.text == "Winnipeg-Centre"
        assert p.sponsor.caucus.local_name.text == "Libéral"
    with translation.override("en"):
        assert p.local_addressee.text == "Government of Canada"
        assert p.topic.local_slug == "canadian-heritage"
    response = Response(text="One.\n\nTwo.", text_fr="Un.\n\nDeux.", position=1)
    with translation.override("fr"):
        assert response.local_text.text == "Un.\n\nDeux."
        assert response.local_paragraphs == [("response-1-p1", "Un."), ("response-1-p2", "Deux.")]
    rows = [Grievance(text="", text_fr="Attendu"), PrayerItem(text="", text_fr="Item")]
    assert [r.text for r in pick_rows(rows, "en")] == ["Attendu", "Item"]
    assert Member(riding="Winnipeg Centre").local_riding.text == "Winnipeg Centre"


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_a_french_record_into_the_french_columns():
    """A record imported from a French page before both languages were kept."""
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("petitions", "0009_petition_withdrawal"),
        ("responses", "0003_portfolio_petition_index"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    topic = old.get_model("petitions", "Topic").objects.create(
        name="Patrimoine canadien", slug="patrimoine-canadien"
    )
    caucus = old.get_model("petitions", "Caucus").objects.create(name="Liberal", slug="liberal")
    member = old.get_model("petitions", "Member").objects.create(
        name="Robert-Falcon Ouellette", slug="ouellette", riding="Winnipeg-Centre", caucus=caucus
    )
    petition = old.get_model("petitions", "Petition").objects.create(
        number="e-1961", kind="e-petition", topic=topic, page_language="fr", sponsor=member,
        addressee="gouvernement du Canada", prayer_text="Nous, soussignés.",
        initiator_province_text="Manitoba",
    )  # fmt: skip
    petition.grievances.create(position=1, text="Les armoiries du Canada.")
    source = petition.sources.create(
        source="e-1961.fr.txt", raw_text=FR.read_text(), content_hash="x", imported_by="t"
    )
    petition.latest_source = source
    petition.save()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    p = Petition.objects.get(number="e-1961")
    assert (p.addressee, p.addressee_fr) == ("", "gouvernement du Canada")
    assert (p.prayer_text, p.prayer_text_fr) == ("", "Nous, soussignés.")
    assert (p.initiator_province_text, p.initiator_province_text_fr) == ("", "Manitoba")
    assert [(g.text, g.text_fr) for g in p.grievances.all()] == [("", "Les armoiries du Canada.")]
    assert (p.topic.name, p.topic.name_fr, p.topic.slug, p.topic.slug_fr) == (
        "Canadian heritage",  # the known pair
        "Patrimoine canadien",
        "patrimoine-canadien",
        "patrimoine-canadien",
    )
    assert (p.sponsor.riding, p.sponsor.riding_fr) == ("", "Winnipeg-Centre")
    assert (p.sponsor.caucus.name, p.sponsor.caucus.name_fr) == ("Liberal", "Libéral")
    assert (p.source_en_id, p.source_fr_id) == (None, source.pk)
    assert SourceRecord.objects.get(pk=source.pk).language == "fr"
    # The English page of the migrated record adds its texts and keeps the French ones.
    assert "e-1961 updated" in run_import(EN)
    p = Petition.objects.get(number="e-1961")
    assert (p.addressee, p.addressee_fr) == ("Government of Canada", "gouvernement du Canada")


def test_the_preview_names_the_language_and_compares_its_texts(db, tmp_path):
    from tests.test_admin_import import Staff, make_staff, upload

    run_import(SEED)
    staff = Staff(make_staff())
    words = text_of(staff.preview(upload(french_seed(tmp_path))))
    assert "French page: compared with the record's French texts" in words
    assert "Chambre des communes" in words
    assert (
        "House of Commons" not in words.split("Chambre des communes")[0].split("Addressed to")[-1]
    )
    assert "English page" in text_of(staff.preview(upload(SEED)))


def test_history_says_which_language_changed(client, db, tmp_path):
    from tests.test_history import backdate, record_history

    run_import(SEED)
    backdate(days=10)
    run_import(french_seed(tmp_path))
    history = record_history(client)
    assert "Addressed to (French)" in history and "Grievances (French)" in history
    assert "Government responses (French)" in history
    assert "Addressed to," not in history and "Grievances," not in history
    grievance = Grievance.history.filter(history_type="~").first()
    assert grievance.history_change_reason.endswith("(French page)")
    assert Grievance._meta.get_field("text_fr").verbose_name == "text (French)"
