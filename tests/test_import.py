"""The import command against the real seed and sample pages."""

from datetime import date

import pytest

from petitions.models import Grievance, Member, Petition, SourceRecord
from responses.models import Response
from tests.conftest import PETITION_PAGES, SEEDS, run_import

pytestmark = pytest.mark.django_db


def test_every_page_imports(imported):
    assert imported.strip().endswith("7 created, 0 updated, 0 unchanged, 0 failed")
    assert Petition.objects.count() == 7
    assert SourceRecord.objects.count() == 7


def test_reimport_changes_nothing(imported):
    before = list(Petition.objects.order_by("number").values())
    out = run_import(*PETITION_PAGES)
    assert out.strip().endswith("0 created, 0 updated, 7 unchanged, 0 failed")
    assert list(Petition.objects.order_by("number").values()) == before
    assert SourceRecord.objects.count() == 7


def test_e_2835_field_by_field(imported):
    p = Petition.objects.for_detail().get(number="e-2835")
    assert (p.kind, p.topic.name, p.topic.slug) == (
        "e-petition",
        "Foreign affairs",
        "foreign-affairs",
    )
    assert (p.initiator_name, p.initiator_city, p.initiator_province) == (
        "mimi lee",
        "Markham",
        "ON",
    )
    assert (p.original_language, p.page_language, p.addressee) == ("en", "en", "House of Commons")
    assert len(p.grievances.all()) == 5
    assert p.grievances.all()[0].text.startswith("Former Ambassador to China, Hon. John McCallum")
    assert p.prayer_text.startswith("We, the undersigned, citizens and residents of Canada")
    assert [i.position for i in p.prayer_items.all()] == [1, 2]
    assert p.prayer_items.all()[1].text.startswith("Review and implement legislation")
    assert (p.presented_on, p.presented_number) == (date(2020, 11, 27), "432-00309")
    assert (p.parliament, p.session) == (43, 2)
    assert p.presenter.name == "Garnett Genuis"
    assert p.presenter.riding == "Sherwood Park—Fort Saskatchewan"
    assert p.sponsor == p.presenter
    assert p.sponsor.caucus.name == "Conservative"
    assert p.opened_at.isoformat() == "2020-09-15T19:23:00+00:00"
    assert p.closed_at.isoformat() == "2020-10-15T19:23:00+00:00"
    [response] = p.responses.all()
    assert response.portfolio.name == "Minister of Foreign Affairs"
    assert response.signer.name == "Rob Oliphant"
    assert response.tabled_on == date(2021, 1, 25)
    assert len(response.paragraphs) == 10
    assert (p.response_days, p.deadline, p.status) == (59, "late", "responded")
    assert p.days_overdue == 14


@pytest.mark.parametrize(
    ("number", "presented", "responded", "days", "deadline", "portfolio", "signer"),
    [
        ("e-2559", date(2021, 4, 21), date(2021, 6, 4), 44, "on_time", "Minister of Foreign Affairs", "Rob Oliphant"),
        ("e-4172", date(2023, 3, 20), date(2023, 5, 3), 44, "on_time", "Minister of Public Safety", "Pam Damoff"),
        ("e-123", date(2016, 6, 8), date(2016, 9, 19), 103, "late", None, None),
    ],
)  # fmt: skip
def test_responded_petitions(
    imported, number, presented, responded, days, deadline, portfolio, signer
):
    p = Petition.objects.for_detail().get(number=number)
    assert (p.presented_on, p.response_tabled_on, p.response_days) == (presented, responded, days)
    assert p.deadline == deadline
    [response] = p.responses.all()
    assert (response.portfolio.name if response.portfolio else None) == portfolio
    assert (response.signer.name if response.signer else None) == signer
    assert response.tabled_on == responded


def test_e_123_response_is_a_sessional_paper(imported):
    p = Petition.objects.for_detail().get(number="e-123")
    [response] = p.responses.all()
    assert (response.text, response.sessional_paper) == ("", "8545-421-66-01")
    assert p.addressee == "House of Commons in Parliament assembled"
    assert len(p.prayer_items.all()) == 3
    assert (p.sponsor.name, p.sponsor.riding, p.sponsor.province) == (
        "Don Davies",
        "Vancouver Kingsway",
        "BC",
    )
    assert p.sponsor.caucus.name == "New Democratic Party"
    assert (p.presented_number, p.parliament, p.session) == ("421-00430", 42, 1)


def test_paper_petition(imported):
    p = Petition.objects.for_detail().get(number="431-00205")
    assert (p.kind, p.presented_number, p.parliament, p.session) == ("paper", "431-00205", 43, 1)
    assert p.initiator_name == "" and p.opened_at is None and p.closed_at is None
    assert p.addressee == (
        "Minister of Foreign Affairs and to the Minister of Citizenship and Immigration"
    )
    assert list(p.grievances.all()) == [] and list(p.prayer_items.all()) == []
    assert p.prayer_text.startswith("Therefore, your petitioners call upon")
    assert p.presented_on == date(2020, 5, 20)
    assert (p.sponsor.name, p.sponsor.riding, p.sponsor.province) == (
        "Paul Manly",
        "Nanaimo—Ladysmith",
        "BC",
    )
    assert p.sponsor.caucus.name == "Green Party"
    assert list(p.responses.all()) == []
    # Overdue when the 43rd Parliament was dissolved, unanswered (see test_parliaments.py).
    assert (p.status, p.deadline) == ("unanswered_dissolution", "overdue")


def test_never_presented_petition(imported):
    p = Petition.objects.for_detail().get(number="e-2672")
    assert p.prayer_text.startswith("We, the undersigned, citizens of Canada, call upon")
    assert list(p.grievances.all()) == [] and list(p.prayer_items.all()) == []
    assert p.presented_on is None and p.presented_number is None
    assert (p.parliament, p.session) == (43, 1)  # the session in which it opened
    assert (p.status, p.deadline) == ("closed", None)
    assert (p.sponsor.name, p.sponsor.riding, p.sponsor.caucus.name) == (
        "Lloyd Longfield",
        "",
        "Liberal",
    )


def test_french_page(imported):
    p = Petition.objects.for_detail().get(number="e-701")
    assert (p.page_language, p.original_language) == ("fr", "en")
    # A French page's texts are the record's French texts; the topic is a known pair.
    assert (p.topic.name_fr, p.topic.name) == (
        "Protection de l'environnement",
        "Environmental protection",
    )
    assert (p.initiator_name, p.initiator_city) == ("Jessica Aussel Aussel", "Victoria")
    assert (p.initiator_province, p.initiator_province_text_fr) == ("BC", "Colombie-Britannique")
    assert (p.addressee_fr, p.addressee, p.initiator_province_text) == (
        "gouvernement du Canada",
        "",
        "",
    )
    assert [bool(g.text_fr) and not g.text for g in p.grievances.all()] == [True]
    assert p.prayer_text_fr.startswith("Nous soussignés") and p.prayer_text == ""
    assert p.opened_at.isoformat() == "2016-12-05T16:31:00+00:00"
    assert p.closed_at.isoformat() == "2017-04-04T15:31:00+00:00"
    assert (p.sponsor.name, p.sponsor.riding_fr, p.sponsor.province) == (
        "Charlie Angus",
        "Timmins—Baie James",
        "ON",
    )
    assert (p.sponsor.caucus.name, p.sponsor.caucus.name_fr) == (
        "New Democratic Party",
        "Nouveau Parti démocratique",
    )
    assert (p.parliament, p.session, p.status) == (42, 1, "closed")


def test_mps_are_shared_between_petitions(imported):
    assert Member.objects.filter(name="Rob Oliphant").count() == 0  # a signer, not a sponsor
    lantsman = Member.objects.get(name="Melissa Lantsman")
    assert (lantsman.riding, lantsman.caucus.name) == ("Thornhill", "Conservative")
    assert Response.objects.filter(signer__name="Rob Oliphant").count() == 2


def test_changed_page_updates_and_keeps_history(imported, tmp_path):
    original = SEEDS[0].read_text()
    edited = tmp_path / "e-2835.txt"
    edited.write_text(original.replace("Rob Oliphant", "Robert Oliphant"))
    out = run_import(edited)
    assert "e-2835 updated (responses)" in out
    assert out.strip().endswith("0 created, 1 updated, 0 unchanged, 0 failed")
    p = Petition.objects.get(number="e-2835")
    assert p.responses.get().signer.name == "Robert Oliphant"
    assert p.sources.count() == 2
    assert p.latest_source.source == str(edited)
    assert run_import(edited).strip().endswith("0 created, 0 updated, 1 unchanged, 0 failed")


def test_dry_run_writes_nothing(db):
    out = run_import(*PETITION_PAGES, dry_run=True)
    assert out.strip().endswith(
        "dry run, nothing written: 7 created, 0 updated, 0 unchanged, 0 failed"
    )
    assert Petition.objects.count() == 0


def bad_pages(tmp_path):
    cut = tmp_path / "cut.txt"
    text = SEEDS[0].read_text()
    cut.write_text(text[: len(text) // 2])
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    shopping = tmp_path / "list.txt"
    shopping.write_text("Shopping list\n\n- eggs\n- milk\n")
    return {
        "empty": (empty, "empty"),
        "binary": (binary, "not a text file"),
        "neither": (shopping, "neither a petition page nor a news article or briefing note"),
        "cut": (cut, "cut off"),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "neither", "cut"])
def test_bad_file_fails_clearly_and_writes_nothing(db, tmp_path, case):
    path, words = bad_pages(tmp_path)[case]
    out = run_import(path, fails=True)
    assert words in out.lower()
    assert out.strip().endswith("1 file(s) failed")
    assert Petition.objects.count() == 0 and Grievance.objects.count() == 0


def test_bad_files_do_not_stop_the_others(db, tmp_path):
    bad = bad_pages(tmp_path)
    out = run_import(*[path for path, _ in bad.values()], *PETITION_PAGES, fails=True)
    for path, words in bad.values():
        line = next(line for line in out.splitlines() if line.startswith(f"{path}:"))
        assert words in line.lower()
    assert "7 created, 0 updated, 0 unchanged, 4 failed" in out
    assert Petition.objects.count() == 7


def test_missing_path_is_reported(db):
    assert "no such file or folder" in run_import("fixtures/does-not-exist.txt", fails=True)


def test_presentation_number_cannot_belong_to_two_petitions(imported, tmp_path):
    page = tmp_path / "copy.txt"
    page.write_text(SEEDS[0].read_text().replace("e-2835", "e-9999"))
    out = run_import(page, fails=True)
    assert "presentation number 432-00309 already belongs to petition e-2835" in out
    assert not Petition.objects.filter(number="e-9999").exists()


FIXTURES = SEEDS[0].parent.parent
CUT_PAIRS = sorted((FIXTURES / "pairs").glob("*.txt"))
CUT_PAIRS = [path for path in CUT_PAIRS if not path.name.startswith("e-1961")]


@pytest.mark.parametrize("path", CUT_PAIRS, ids=lambda path: path.name)
def test_cut_off_pair_is_refused_naming_the_line(db, path):
    out = run_import(path, fails=True)
    last = len(path.read_text().rstrip("\n").split("\n"))
    assert f"{path}: line {last}: the page seems cut off inside " in out
    assert "it stops at this line: '" in out
    assert Petition.objects.count() == 0 and SourceRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "end", "inside"),
    [
        ("pairs/e-1961.en.txt", "Photo - Robert-Falcon Ouel", "the sponsor's block"),
        ("seeds/000_a8d79ecdfe984ecd.txt", "November 27, 20", "the timeline"),
        ("samples/e-701.fr.txt", "5 décembre 2016 à 11 h", "a date"),
        ("seeds/000_a8d79ecdfe984ecd.txt", "(Petition No. 432-", "the presentation line"),
        ("seeds/002_f12cef38a94e1e98.txt", "public safety, including", "an item of the prayer"),
        ("variants/two-responses.txt", "Response by the Minister of Fin", "the response heading"),
    ],
)
def test_page_cut_inside_a_block_writes_nothing(db, tmp_path, name, end, inside):
    text = (FIXTURES / name).read_text()
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index(end) + len(end)])
    out = run_import(cut, fails=True)
    last = text[: text.index(end)].count("\n") + 1
    assert f"line {last}: the page seems cut off inside {inside}" in out
    assert end.split("\n")[-1][:15] in out
    assert Petition.objects.count() == 0 and Member.objects.count() == 0


def test_variants_import(db):
    out = run_import(FIXTURES / "variants", FIXTURES / "pairs" / "e-1961.fr.txt")
    # no-photo, par-consequent (French), therefore-heading and the French pair are one petition
    # (e-1961): the French page adds the French texts, the others' texts are already there.
    assert out.strip().endswith("8 created, 1 updated, 2 unchanged, 0 failed")
    fur = Petition.objects.for_detail().get(number="e-123")
    assert fur.keywords == ["Animal welfare", "Fur", "Imports"]
    assert (fur.end_state, fur.status) == ("not_certified", "not_certified")
    ouellette = Member.objects.get(name="Robert-Falcon Ouellette")
    assert (ouellette.caucus.name, ouellette.province) == ("Liberal", "MB")
    assert Petition.objects.get(number="e-701").addressee_fr == "Chambre des communes"
    manly = Petition.objects.for_detail().get(number="431-00205")
    assert manly.addressee_fr.startswith("ministre des Affaires étrangères")
    grievances = Petition.objects.get(number="e-1961").grievances.all()
    assert [g.text_fr[:15] for g in grievances] == ["Les armoiries d"] * 3
    assert [g.text[:15] for g in grievances] == ["The Coat of Arm"] * 3


def test_keywords_are_stored_compared_and_shown(db, client, tmp_path):
    path = FIXTURES / "variants" / "keywords-not-certified.txt"
    run_import(path)
    assert run_import(path).strip().endswith("0 created, 0 updated, 1 unchanged, 0 failed")
    edited = tmp_path / "e-123.txt"
    edited.write_text(path.read_text().replace("Imports\n", "Imports\nTrade\n"))
    assert "e-123 updated (keywords)" in run_import(edited)
    p = Petition.objects.get(number="e-123")
    assert p.keywords == ["Animal welfare", "Fur", "Imports", "Trade"]
    assert p.history.latest().keywords == p.keywords
    assert client.get("/petitions/e-123.json").json()["keywords"] == p.keywords
    html = client.get("/petitions/e-123/").content.decode()
    assert "<dt>Keywords</dt>" in html
    assert '<a href="/petitions/?q=%22Animal%20welfare%22">Animal welfare</a>' in html
    csv_text = b"".join(client.get("/petitions.csv").streaming_content).decode("utf-8-sig")
    assert "Animal welfare | Fur | Imports | Trade" in csv_text
