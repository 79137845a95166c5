"""Tests of the petition page parser: plain pytest, no database, fixture files only."""

from __future__ import annotations

import contextlib
import dataclasses
import random
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from importer.petitions import parse, text
from importer.petitions.data import (
    MalformedPage,
    MemberData,
    NotAPetitionPage,
    PageError,
    PetitionData,
    UnreadableInput,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TORONTO = ZoneInfo("America/Toronto")


def fixture(name: str) -> Path:
    """A fixture file by relative path; seeds by their number prefix ("seeds/000")."""
    folder, _, stem = name.partition("/")
    if folder == "seeds":
        return next((FIXTURES / "seeds").glob(f"{stem}_*.txt"))
    return FIXTURES / name


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TORONTO)


@cache
def page(name: str) -> PetitionData:
    return parse.parse_page(fixture(name).read_bytes())


def source(name: str) -> str:
    return fixture(name).read_text("utf-8")


# Every field of every page; grievances are (count, first, last), prayer items (count, first),
# responses (portfolio, signer, paragraph count, start of first paragraph, tabled, paper).
PAGES: dict[str, dict] = {
    "seeds/000": {
        "number": "e-2835",
        "kind": "e-petition",
        "topic": "Foreign affairs",
        "page_language": "en",
        "original_language": "en",
        "addressee": "House of Commons",
        "initiator_name": "mimi lee",
        "initiator_city": "Markham",
        "initiator_province": "Ontario",
        "grievances": (
            5,
            "Former Ambassador to China, Hon. John McCallum, publicly sided with China on Meng "
            "Wanzhou case;",
            "On June 9, 2020, the Australian Strategic Policy Institute (ASPI) published a report "
            "which further shed light on the nature and extent of the Chinese Communist Party's "
            "widespread systems of foreign influence.",
        ),
        "prayer_text": "We, the undersigned, citizens and residents of Canada, call upon the "
        "House of Commons to:",
        "prayer_items": (
            2,
            "Reaffirm its commitment to openness, transparency, and accountability to Canadian "
            "citizens, especially as it relates to the recent uptick in potential foreign "
            "influence from the People’s Republic of China; and",
        ),
        "signatures": None,
        "opened_at": at(2020, 9, 15, 15, 23),
        "closed_at": at(2020, 10, 15, 15, 23),
        "presented_on": date(2020, 11, 27),
        "presented_number": "432-00309",
        "presenter": MemberData("Garnett Genuis", "Sherwood Park—Fort Saskatchewan"),
        "sponsor": MemberData(
            "Garnett Genuis", "Sherwood Park—Fort Saskatchewan", "Conservative Caucus"
        ),
        "response_tabled_on": date(2021, 1, 25),
        "responses": [
            (
                "Minister of Foreign Affairs",
                "Rob Oliphant",
                10,
                "Foreign interference can harm multiple areas of our society",
                date(2021, 1, 25),
                None,
            )
        ],
        "end_state": None,
        "keywords": [],
    },
    "seeds/001": {
        "number": "e-2559",
        "kind": "e-petition",
        "topic": "Foreign affairs",
        "page_language": "en",
        "original_language": "en",
        "addressee": "Government of Canada",
        "initiator_name": "Conita Chan",
        "initiator_city": "Calgary",
        "initiator_province": "Alberta",
        "grievances": (
            1,
            "Canadian citizens are deeply concerned about how our government deals with the "
            "Chinese Communist Party (CCP) of the People’s Republic of China (PRC) and lacks of "
            "concrete actions to safeguard Canada’s sovereignty, national interests, and core "
            "values from infiltration and interference of the totalitarian CCP.",
            "Canadian citizens are deeply concerned about how our government deals with the "
            "Chinese Communist Party (CCP) of the People’s Republic of China (PRC) and lacks of "
            "concrete actions to safeguard Canada’s sovereignty, national interests, and core "
            "values from infiltration and interference of the totalitarian CCP.",
        ),
        "prayer_text": "We, the undersigned, Citizens of Canada, call upon the Government of "
        "Canada to:",
        "prayer_items": (
            4,
            "Apply our Justice for Victims of Corrupt Foreign Officials Act (Sergei Magnitsky "
            "Law) to sanction Chinese and Hong Kong officials who are responsible for or "
            "complicit in gross human rights violations against Chinese civilians and Canadians, "
            "especially the atrocities in Xinjiang, Tibet, Hong Kong, Taiwan and the unimaginable "
            "horror of organ harvesting;",
        ),
        "signatures": None,
        "opened_at": at(2020, 6, 10, 9, 6),
        "closed_at": at(2020, 10, 8, 9, 6),
        "presented_on": date(2021, 4, 21),
        "presented_number": "432-00840",
        "presenter": MemberData("Stephanie Kusie", "Calgary Midnapore"),
        "sponsor": MemberData("Stephanie Kusie", "Calgary Midnapore", "Conservative Caucus"),
        "response_tabled_on": date(2021, 6, 4),
        "responses": [
            (
                "Minister of Foreign Affairs",
                "Rob Oliphant",
                12,
                "1.  Canada is judicious in its approach",
                date(2021, 6, 4),
                None,
            )
        ],
        "end_state": None,
        "keywords": [],
    },
    "seeds/002": {
        "number": "e-4172",
        "kind": "e-petition",
        "topic": "Public safety",
        "page_language": "en",
        "original_language": "en",
        "addressee": "Minister of Public Safety",
        "initiator_name": "Tsz Lok Chan",
        "initiator_city": "Saskatoon",
        "initiator_province": "Saskatchewan",
        "grievances": (
            4,
            "In a report published by Safeguard Defenders it was alleged that Chinese police "
            "operate three extrajudicial police stations in Toronto, Ontario;",
            "Such operations threaten public safety and threaten fundamental freedoms enjoyed on "
            "Canadian soil.",
        ),
        "prayer_text": "We, the undersigned, citizens and residents of Canada, call upon the "
        "Minister of Public Safety to:",
        "prayer_items": (
            3,
            "Direct the RCMP and CSIS to investigate these operations and if found to be "
            "contrary to Canadian law or international law, order the immediate shutdown of the "
            "operation and expulsion of related personnel from Canada. Those without immunity "
            "should be investigated whether their action contravenes Canadian law and thereby "
            "convicted under Canadian law;",
        ),
        "signatures": None,
        "opened_at": at(2022, 11, 16, 14, 23),
        "closed_at": at(2023, 1, 15, 14, 23),
        "presented_on": date(2023, 3, 20),
        "presented_number": "441-01184",
        "presenter": MemberData("Melissa Lantsman", "Thornhill"),
        "sponsor": MemberData("Melissa Lantsman", caucus="Conservative Caucus"),
        "response_tabled_on": date(2023, 5, 3),
        "responses": [
            (
                "Minister of Public Safety",
                "Pam Damoff",
                6,
                "Our government is aware that some foreign governments",
                date(2023, 5, 3),
                None,
            )
        ],
        "end_state": None,
        "keywords": [],
    },
    "samples/e-123.txt": {
        "number": "e-123",
        "kind": "e-petition",
        "topic": "Fur industry",
        "page_language": "en",
        "original_language": "en",
        "addressee": "House of Commons in Parliament assembled",
        "initiator_name": "Michael Howie",
        "initiator_city": "Hamilton",
        "initiator_province": "Ontario",
        "grievances": (
            2,
            "Millions of dogs and cats are inhumanely raised and confined, and brutally "
            "slaughtered for consumption and the harvest of the fur; and",
            "The United States, England, Australia and the European Union have taken steps to "
            "prohibit the importation and/or sale of these pelts.",
        ),
        "prayer_text": "We, the undersigned, citizens of Canada, request (or call upon) the "
        "Government of Canada to:",
        "prayer_items": (
            3,
            "Recognize the cruelty and inhumane nature of the raising, confinement, and "
            "slaughter of dogs and cats;",
        ),
        "signatures": None,
        "opened_at": at(2016, 1, 18, 14, 29),
        "closed_at": at(2016, 5, 17, 14, 29),
        "presented_on": date(2016, 6, 8),
        "presented_number": "421-00430",
        "presenter": MemberData("Don Davies", "Vancouver Kingsway"),
        "sponsor": MemberData(
            "Don Davies", "Vancouver Kingsway", "New Democratic Party Caucus", "British Columbia"
        ),
        "response_tabled_on": date(2016, 9, 19),
        "responses": [(None, None, 0, None, date(2016, 9, 19), "8545-421-66-01")],
        "end_state": None,
        "keywords": [],
    },
    "samples/431-00205.txt": {
        "number": "431-00205",
        "kind": "paper",
        "topic": "Foreign affairs",
        "page_language": "en",
        "original_language": "en",
        "addressee": "Minister of Foreign Affairs and to the Minister of Citizenship and "
        "Immigration",
        "initiator_name": None,
        "initiator_city": None,
        "initiator_province": None,
        "grievances": (0, None, None),
        "prayer_text": "Therefore, your petitioners call upon the Minister of the Crown for "
        "Foreign Affairs to issue a statement condemning the People's Republic of China's (PRC) "
        "persecution of Falun Dafa practitioners, we request the Minister of the Crown for "
        "Citizenship and Immigration list the PRC as a refugee Source Country, thereby allowing "
        "swifter accommodation for those fleeing its persecution.",
        "prayer_items": (0, None),
        "signatures": None,
        "opened_at": None,
        "closed_at": None,
        "presented_on": date(2020, 5, 20),
        "presented_number": "431-00205",
        "presenter": MemberData("Paul Manly", "Nanaimo—Ladysmith"),
        "sponsor": MemberData(
            "Paul Manly", caucus="Green Party Caucus", province="British Columbia"
        ),
        "response_tabled_on": None,
        "responses": [],
        "end_state": None,
        "keywords": [],
    },
    "samples/e-701.fr.txt": {
        "number": "e-701",
        "kind": "e-petition",
        "topic": "Protection de l'environnement",
        "page_language": "fr",
        "original_language": "en",
        "addressee": "gouvernement du Canada",
        "initiator_name": "Jessica Aussel Aussel",
        "initiator_city": "Victoria",
        "initiator_province": "Colombie-Britannique",
        "grievances": (
            1,
            "Non seulement le pipeline Trans Mountain perpétuera les problèmes sociaux avec "
            "lesquels les Premières Nations et les peuples métis sont forcés de composer, mais il "
            "aura des effets néfastes sur le paysage et l’environnement.",
            "Non seulement le pipeline Trans Mountain perpétuera les problèmes sociaux avec "
            "lesquels les Premières Nations et les peuples métis sont forcés de composer, mais il "
            "aura des effets néfastes sur le paysage et l’environnement.",
        ),
        "prayer_text": "Nous soussignés, citoyens du Canda, résidents du Canada et peuples "
        "autochtones et métis, prions le gouvernement du Canada de ne pas prolonger le pipeline "
        "Trans Mountain au Canada.",
        "prayer_items": (0, None),
        "signatures": None,
        "opened_at": at(2016, 12, 5, 11, 31),
        "closed_at": at(2017, 4, 4, 11, 31),
        "presented_on": None,
        "presented_number": None,
        "presenter": None,
        "sponsor": MemberData(
            "Charlie Angus", "Timmins—Baie James", "Caucus Nouveau Parti démocratique", "Ontario"
        ),
        "response_tabled_on": None,
        "responses": [],
        "end_state": None,
        "keywords": [],
    },
    "samples/e-2672.txt": {
        "number": "e-2672",
        "kind": "e-petition",
        "topic": "Social affairs and equality",
        "page_language": "en",
        "original_language": "en",
        "addressee": "Government of Canada",
        "initiator_name": "Maxwell Parr",
        "initiator_city": "Guelph",
        "initiator_province": "Ontario",
        "grievances": (0, None, None),
        "prayer_text": "We, the undersigned, citizens of Canada, call upon the Government of "
        "Canada to end the militarization of police forces, actively combat systematic and "
        "institutional racism, continue to recognize Canada's own role in carrying out violence "
        "against people of colour and actively encourage other nations to do the same.",
        "prayer_items": (0, None),
        "signatures": None,
        "opened_at": at(2020, 6, 15, 15, 39),
        "closed_at": at(2020, 10, 13, 15, 39),
        "presented_on": None,
        "presented_number": None,
        "presenter": None,
        "sponsor": MemberData("Lloyd Longfield", caucus="Liberal Caucus"),
        "response_tabled_on": None,
        "responses": [],
        "end_state": None,
        "keywords": [],
    },
    "variants/whereas-prose.txt": {
        "number": "e-3105",
        "kind": "e-petition",
        "topic": "Environment",
        "page_language": "en",
        "original_language": "fr",
        "addressee": "Government of Canada",
        "initiator_name": "Friends from Away",
        "initiator_city": "St. John's",
        "initiator_province": "Newfoundland and Labrador",
        "grievances": (
            2,
            "Coastal communities in Atlantic Canada depend on healthy fish stocks for their "
            "livelihood and culture.",
            "The northern cod stock remains in the critical zone more than thirty years after "
            "the moratorium.",
        ),
        "prayer_text": "Therefore, we, the undersigned residents of Canada, call upon the "
        "Government of Canada to adopt a rebuilding plan for northern cod that follows the "
        "advice of its own scientists.",
        "prayer_items": (0, None),
        "signatures": 1234,
        "opened_at": at(2021, 2, 3, 10, 15),
        "closed_at": at(2021, 6, 3, 10, 15),
        "presented_on": None,
        "presented_number": None,
        "presenter": None,
        "sponsor": MemberData(
            "Jack Harris", "St. John's East", province="Newfoundland and Labrador"
        ),
        "response_tabled_on": None,
        "responses": [],
        "end_state": None,
        "keywords": [],
    },
    "variants/two-responses.txt": {
        "number": "441-01234",
        "kind": "paper",
        "topic": "Health",
        "page_language": "en",
        "original_language": "en",
        "addressee": "Minister of Health and to the Minister of Finance",
        "initiator_name": None,
        "initiator_city": None,
        "initiator_province": None,
        "grievances": (
            2,
            "Prescription drug costs keep many Canadians from filling their prescriptions;",
            "Canada is the only country with universal health care that does not cover "
            "prescription drugs.",
        ),
        "prayer_text": "We, the undersigned, residents of Canada, call upon the Minister of "
        "Health and the Minister of Finance to:",
        "prayer_items": (2, "Introduce a universal, single-payer public pharmacare program; and"),
        "signatures": 87,
        "opened_at": None,
        "closed_at": None,
        "presented_on": date(2023, 2, 1),
        "presented_number": "441-01234",
        "presenter": MemberData("Don Davies", "Vancouver Kingsway"),
        "sponsor": MemberData(
            "Don Davies", "Vancouver Kingsway", "New Democratic Party Caucus", "British Columbia"
        ),
        "response_tabled_on": date(2023, 3, 20),
        "responses": [
            (
                "Minister of Health",
                "Adam van Koeverden",
                2,
                "The Government of Canada is committed",
                date(2023, 3, 20),
                None,
            ),
            ("Minister of Finance", "Ryan Turnbull", 0, None, date(2023, 3, 20), None),
        ],
        "end_state": None,
        "keywords": [],
    },
    "variants/e-4321.fr.txt": {
        "number": "e-4321",
        "kind": "e-petition",
        "topic": "Affaires étrangères",
        "page_language": "fr",
        "original_language": "fr",
        "addressee": "Chambre des communes",
        "initiator_name": "Marie-Ève d'Amours",
        "initiator_city": "Saint-Jean-sur-Richelieu",
        "initiator_province": "Québec",
        "grievances": (
            2,
            "Des États étrangers exercent une influence sur des communautés de la diaspora au "
            "Canada;",
            "Les victimes d’intimidation ne savent pas toujours à qui s’adresser.",
        ),
        "prayer_text": "Nous, soussignés, citoyens et résidents du Canada, prions la Chambre "
        "des communes de :",
        "prayer_items": (2, "Créer un registre des agents d’influence étrangère;"),
        "signatures": 1234,
        "opened_at": at(2020, 9, 1, 15, 23),
        "closed_at": at(2020, 10, 30, 15, 23),
        "presented_on": date(2020, 11, 27),
        "presented_number": "432-00311",
        "presenter": MemberData("Alexis Brunelle-Duceppe", "Lac-Saint-Jean"),
        "sponsor": MemberData(
            "Alexis Brunelle-Duceppe", "Lac-Saint-Jean", "Caucus du Bloc Québécois", "Québec"
        ),
        "response_tabled_on": date(2021, 1, 25),
        "responses": [
            (
                "ministre des Affaires étrangères",
                "Robert Oliphant",
                2,
                "Le gouvernement du Canada prend très au sérieux",
                date(2021, 1, 25),
                None,
            )
        ],
        "end_state": None,
        "keywords": [],
    },
    "variants/421-00512.fr.txt": {
        "number": "421-00512",
        "kind": "paper",
        "topic": "Environnement",
        "page_language": "fr",
        "original_language": "en",
        "addressee": "CHAMBRE DES COMMUNES RÉUNIE EN PARLEMENT",
        "initiator_name": None,
        "initiator_city": None,
        "initiator_province": None,
        "grievances": (
            1,
            "ATTENDU QUE le Canada doit s’attaquer à l’urgence climatique.",
            "ATTENDU QUE le Canada doit s’attaquer à l’urgence climatique.",
        ),
        "prayer_text": "Nous, soussignés, citoyens et résidents du Canada, prions la Chambre "
        "des communes d’adopter des lois qui :",
        "prayer_items": (2, "Réduisent les émissions de gaz à effet de serre;"),
        "signatures": None,
        "opened_at": None,
        "closed_at": None,
        "presented_on": date(2016, 6, 16),
        "presented_number": "421-00512",
        "presenter": MemberData("Elizabeth May", "Saanich—Gulf Islands"),
        "sponsor": MemberData(
            "Elizabeth May", "Saanich—Gulf Islands", "Caucus du Parti vert", "Colombie-Britannique"
        ),
        "response_tabled_on": date(2016, 9, 19),
        "responses": [(None, None, 0, None, date(2016, 9, 19), "8545-421-66-02")],
        "end_state": None,
        "keywords": [],
    },
}
FIELDS = [field.name for field in dataclasses.fields(PetitionData)]
PETITION_SEEDS = ["seeds/000", "seeds/001", "seeds/002"]


def summary(data: PetitionData, field: str, expected):
    """The field in the form PAGES gives it."""
    value = getattr(data, field)
    if field == "grievances":
        return (len(value), value[0] if value else None, value[-1] if value else None)
    if field == "prayer_items":
        return (len(value), value[0] if value else None)
    if field == "responses":
        starts = [e[3] for e in expected] + [""] * len(value)
        return [
            (
                r.portfolio,
                r.signed_by,
                len(r.paragraphs),
                r.paragraphs[0][: len(start)] if r.paragraphs else None,
                r.tabled_on,
                r.sessional_paper,
            )
            for r, start in zip(value, starts, strict=False)
        ]
    return value


@pytest.mark.parametrize("name", PAGES)
def test_expectations_cover_every_field(name):
    assert list(PAGES[name]) == FIELDS


@pytest.mark.parametrize(("name", "field"), [(n, f) for n in PAGES for f in FIELDS])
def test_page_field(name, field):
    expected = PAGES[name][field]
    assert summary(page(name), field, expected) == expected


@pytest.mark.parametrize(
    ("name", "hours"),
    [("seeds/000", (-4, -4)), ("seeds/001", (-4, -4)), ("samples/e-123.txt", (-5, -4))],
)
def test_times_are_aware_in_toronto(name, hours):
    data = page(name)
    moments = (data.opened_at, data.closed_at)
    assert all(moment.tzinfo == TORONTO for moment in moments)
    assert tuple(moment.utcoffset().total_seconds() / 3600 for moment in moments) == hours


def test_winter_time_uses_the_zone_not_the_printed_abbreviation():
    # Seed 002 prints "(EDT)" for November 16, when Toronto is on EST.
    assert page("seeds/002").opened_at.utcoffset().total_seconds() == -5 * 3600


def test_response_paragraphs_are_kept_exactly():
    response = page("seeds/001").responses[0]
    assert response.paragraphs[0].startswith("1.  Canada is judicious")
    assert response.paragraphs[-1] == (
        "The Government of Canada’s security and intelligence community is combatting foreign "
        "interference threats within their respective mandates. The Government of Canada "
        "continues to look for new and innovative ways to enhance the measures in place to "
        "address foreign interference."
    )


# Reading bytes


@pytest.mark.parametrize("raw", [b"", b"   \n\t \r\n", b"\xef\xbb\xbf  \n"])
def test_empty_input_is_unreadable(raw):
    with pytest.raises(UnreadableInput, match="the file is empty"):
        parse.parse_page(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        bytes(random.Random(7).randrange(256) for _ in range(4000)),
        b"%PDF-1.4\n" + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 50,
    ],
)
def test_binary_input_is_unreadable(raw):
    with pytest.raises(UnreadableInput, match="it looks binary"):
        parse.read_text(raw)


@pytest.mark.parametrize("name", ["seeds/003", "seeds/004"])
def test_other_documents_are_not_petition_pages(name):
    with pytest.raises(NotAPetitionPage, match="no petition number heading"):
        page(name)


@pytest.mark.parametrize("name", PETITION_SEEDS)
def test_seed_cut_in_half_is_malformed(name):
    raw = fixture(name).read_bytes()
    with pytest.raises(MalformedPage, match="cut off") as caught:
        parse.parse_page(raw[: len(raw) // 2])
    assert caught.value.line is not None


def test_windows_1252_bytes_decode():
    original = source("samples/e-701.fr.txt")
    raw = original.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert parse.read_text(raw) == original
    assert parse.parse_page(raw) == page("samples/e-701.fr.txt")


def test_utf8_byte_order_mark_is_dropped():
    raw = b"\xef\xbb\xbf" + fixture("seeds/000").read_bytes()
    assert not parse.read_text(raw).startswith("\ufeff")
    assert parse.parse_page(raw) == page("seeds/000")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings(newline):
    raw = source("seeds/001").replace("\n", newline).encode("utf-8")
    assert "\r" not in parse.read_text(raw)
    assert parse.parse_page(raw) == page("seeds/001")


def test_non_breaking_spaces_become_spaces():
    assert "\xa0" not in parse.read_text(fixture("seeds/000").read_bytes())


def test_utf16_with_byte_order_mark():
    raw = source("samples/e-2672.txt").encode("utf-16")
    assert parse.parse_page(raw) == page("samples/e-2672.txt")


def test_file_cut_inside_a_character_still_reads():
    raw = "e-1 (Test)\nCanada’s".encode()[:-3]
    assert parse.read_text(raw) == "e-1 (Test)\nCanada"


# HTML


def test_html_page_parses_like_the_text_seed():
    from_html = page("html/e-2835.html")
    from_text = page("seeds/000")
    for field in FIELDS:
        assert getattr(from_html, field) == getattr(from_text, field), field


def test_html_reduction_drops_scripts_styles_and_navigation():
    reduced = parse.read_text(fixture("html/e-2835.html").read_bytes())
    assert "e-9999" not in reduced  # inside a <script>
    assert "dataLayer" not in reduced and "margin-bottom" not in reduced
    assert "Search petitions" not in reduced  # inside <nav>
    assert "Sherwood Park—Fort Saskatchewan" in reduced  # &mdash;
    assert "“friendly”" in reduced  # &ldquo; &rdquo;


def test_html_to_text_layout():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<nav><a>Menu</a></nav><h1>e-1 (A &amp; B)</h1><p>One<br>Two</p>"
        "<ul><li>first</li><li>second <b>bold</b></li></ul>"
        "<ol><li>alpha</li><li>beta</li></ol>"
        "<dl><dt>Open for signature</dt><dd>May 1, 2020</dd></dl>"
        "<div hidden>secret</div><img alt='Photo - A B'><script>var x = '<p>';</script>"
        "</body></html>"
    )
    assert text.html_to_text(html) == (
        "e-1 (A & B)\n\nOne\nTwo\n\n  • first\n  • second bold\n1. alpha\n2. beta\n"
        "Open for signature\nMay 1, 2020\nPhoto - A B\n"
    )


# Variations of the page


def replace(name: str, old: str, new: str) -> str:
    original = source(name)
    assert old in original
    return original.replace(old, new, 1)


def test_capital_e_in_the_heading():
    data = parse.parse_petition(replace("seeds/000", "e-2835 (", "E-2835 ("))
    assert data.number == "e-2835"


def test_missing_labels_give_empty_fields():
    edited = replace("seeds/002", "Original language of petition: English\n", "")
    edited = edited.replace("Petition to the Minister of Public Safety\n", "")
    edited = edited.replace("Initiated by Tsz Lok Chan from Saskatoon, Saskatchewan\n", "")
    data = parse.parse_petition(edited)
    assert data.original_language is None
    assert data.addressee == ""
    assert data.initiator_name is None
    assert len(data.grievances) == 4


def test_empty_addressee():
    data = parse.parse_petition(
        replace("seeds/000", "Petition to the House of Commons", "Petition to the")
    )
    assert data.addressee == ""


@pytest.mark.parametrize(
    ("line", "name", "city", "province"),
    [
        ("Initiated by mimi lee from Markham, Ontario", "mimi lee", "Markham", "Ontario"),
        (
            "Initiated by Jo from Away from Gander, Newfoundland",
            "Jo from Away",
            "Gander",
            "Newfoundland",
        ),
        ("Initiated by Anna Smith", "Anna Smith", None, None),
        ("Lancée par Karri Munn-Venn d'Ottawa (Ontario)", "Karri Munn-Venn", "Ottawa", "Ontario"),
        (
            "Lancée par Jean de Lisle de Trois-Rivières (Québec)",
            "Jean de Lisle",
            "Trois-Rivières",
            "Québec",
        ),
    ],
)
def test_initiator_split(line, name, city, province):
    data = parse.parse_petition(
        replace("samples/e-2672.txt", "Initiated by Maxwell Parr from Guelph, Ontario", line)
    )
    assert (data.initiator_name, data.initiator_city, data.initiator_province) == (
        name,
        city,
        province,
    )


@pytest.mark.parametrize(
    "line",
    [
        "Signatures: 1,234",
        "1,234 signatures",
        "Signatures\n1,234",
        "1 234 signatures",
        "Nombre de signatures : 1 234",
        "Signatures 1234",
    ],
)
def test_signature_counts(line):
    edited = replace("samples/e-2672.txt", "    Photo - Lloyd", f"{line}\n    Photo - Lloyd")
    assert parse.parse_petition(edited).signatures == 1234


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("This e-petition was not certified.", "not_certified"),
        ("Not certified", "not_certified"),
        ("Closed for signature upon dissolution", "closed_dissolution"),
        ("This e-petition was closed upon dissolution of Parliament.", "closed_dissolution"),
        ("Fermée pour signature à la dissolution", "closed_dissolution"),
        ("No response was tabled before dissolution", "unanswered_dissolution"),
        (
            "The government did not table a response before dissolution; no response was given.",
            "unanswered_dissolution",
        ),
        ("Aucune réponse du gouvernement avant la dissolution", "unanswered_dissolution"),
    ],
)
def test_end_states(line, state):
    edited = replace("samples/e-2672.txt", "    Photo - Lloyd", f"{line}\n    Photo - Lloyd")
    data = parse.parse_petition(edited)
    assert data.end_state == state
    assert data.sponsor == MemberData("Lloyd Longfield", caucus="Liberal Caucus")


def test_grievances_with_bullets_after_whereas_are_not_prose():
    edited = replace("seeds/002", "  • In a report", "Whereas:\n  • In a report")
    assert parse.parse_petition(edited).grievances == page("seeds/002").grievances


def test_draw_the_attention_opening_is_not_the_prayer():
    edited = replace(
        "samples/e-123.txt",
        "  • Millions",
        "We, the undersigned citizens of Canada, draw the attention of the House to the "
        "following:\n  • Millions",
    )
    data = parse.parse_petition(edited)
    assert data.prayer_text == page("samples/e-123.txt").prayer_text
    assert len(data.grievances) == 2


# Broken pages


def test_date_label_without_a_date_names_the_line():
    edited = replace("seeds/000", "October 15, 2020, at 3:23 p.m. (EDT)", "to be announced")
    with pytest.raises(MalformedPage, match="Closed for signature") as caught:
        parse.parse_petition(edited)
    assert caught.value.line == edited.split("\n").index("to be announced") + 1
    assert str(caught.value).startswith(f"line {caught.value.line}: ")


def test_date_label_at_the_end_of_the_text():
    edited = source("samples/e-2672.txt").split("    Closed for signature")[0]
    edited += "    Closed for signature\n"
    with pytest.raises(MalformedPage, match="no date follows") as caught:
        parse.parse_petition(edited)
    assert caught.value.line == 15


def test_presented_without_a_date():
    edited = replace("seeds/000", "November 27, 2020 (Petition No. 432-00309)", "soon")
    with pytest.raises(MalformedPage, match="Presented to the House of Commons"):
        parse.parse_petition(edited)


def test_grievances_without_a_prayer():
    original = source("seeds/002")
    start = original.index("We, the undersigned")
    edited = original[:start] + original[original.index("\nResponse by") :]
    with pytest.raises(MalformedPage, match="not followed by its prayer") as caught:
        parse.parse_petition(edited)
    assert caught.value.line == 14


def test_paper_petition_without_presentation_is_cut_off():
    edited = source("samples/431-00205.txt").split("Presented to the House")[0]
    with pytest.raises(MalformedPage, match="Presented to the House of Commons"):
        parse.parse_petition(edited)


def test_heading_only_is_cut_off():
    with pytest.raises(MalformedPage, match="cut off"):
        parse.parse_petition("Skip to main content\n\ne-2835 (Foreign affairs)\n")


def test_french_page_cut_off_names_the_french_label():
    edited = source("samples/e-701.fr.txt").split("Ouverte pour signature")[0]
    with pytest.raises(MalformedPage, match="Ouverte pour signature"):
        parse.parse_petition(edited)


@pytest.mark.parametrize("name", [*PETITION_SEEDS, "samples/e-701.fr.txt", "html/e-2835.html"])
def test_any_cut_raises_only_page_errors(name):
    raw = fixture(name).read_bytes()
    for end in range(0, len(raw), 23):
        with contextlib.suppress(PageError):
            parse.parse_page(raw[:end])


def test_shuffled_and_damaged_lines_raise_only_page_errors():
    rng = random.Random(2835)
    lines = source("seeds/000").split("\n") + source("samples/e-701.fr.txt").split("\n")
    for _ in range(300):
        sample = [line for line in lines if rng.random() > 0.3]
        rng.shuffle(sample)
        if sample:
            cut = rng.randrange(len(sample))
            sample[cut] = sample[cut][: rng.randrange(len(sample[cut]) + 1)]
        with contextlib.suppress(PageError):
            parse.parse_petition("\n".join(sample))


def test_random_bytes_raise_only_page_errors():
    rng = random.Random(1)
    alphabet = b"ab <>/&;#\n\r\xc3\xa9\xe2\x80\xa2e-12 (x)Open for signature Photo - 1,:"
    for _ in range(300):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 200)))
        with contextlib.suppress(PageError):
            parse.parse_page(raw)


def test_prayer_with_an_unusual_opening_is_found_by_its_verb():
    edited = replace("seeds/002", "We, the undersigned, citizens", "Concerned citizens")
    data = parse.parse_petition(edited)
    assert data.prayer_text.startswith("Concerned citizens and residents of Canada, call upon")
    assert len(data.grievances) == 4 and len(data.prayer_items) == 3


def test_timeline_value_on_the_label_line():
    edited = replace(
        "seeds/000",
        "Open for signature\nSeptember 15, 2020",
        "Open for signature: September 15, 2020",
    )
    assert parse.parse_petition(edited).opened_at == at(2020, 9, 15, 15, 23)


def test_riding_named_like_a_territory():
    edited = replace(
        "samples/e-123.txt",
        "Vancouver Kingsway\nNew Democratic Party Caucus\nBritish Columbia",
        "Yukon\nLiberal Caucus\nYukon",
    )
    assert parse.parse_petition(edited).sponsor == MemberData(
        "Don Davies", "Yukon", "Liberal Caucus", "Yukon"
    )


def test_repeated_heading_is_not_a_grievance():
    edited = replace("seeds/002", "Initiated by", "e-4172 (Public safety)\nInitiated by")
    assert parse.parse_petition(edited).grievances == page("seeds/002").grievances


# Pages cut off inside a block

CUT_PAIRS = {
    "pairs/441-02030.en.txt": (28, "a paragraph of the response", "as promised under th"),
    "pairs/441-02030.fr.txt": (31, "a paragraph of the response", "de la société civile et"),
    "pairs/e-2997.en.txt": (28, "a paragraph of the response", "with regard to animal welfare"),
    "pairs/e-2997.fr.txt": (28, "a paragraph of the response", "y compris les chiens, au Canad"),
    "pairs/e-2341.en.txt": (21, "the response heading", "Minister of Justice and At"),
    "pairs/e-2341.fr.txt": (21, "the grievances", "ayant fait l’objet des"),
    "pairs/e-1657.en.txt": (31, "the presentation line", "March 18, 2019 (Petition No. 421-"),
    "pairs/e-1657.fr.txt": (25, "an item of the prayer", "(y compris le génocide) ont été"),
}
COMPLETE = [
    *PETITION_SEEDS,
    *sorted(
        str(path.relative_to(FIXTURES))
        for folder in ("samples", "variants")
        for path in (FIXTURES / folder).glob("*.txt")
    ),
    "pairs/e-1961.en.txt",
    "pairs/e-1961.fr.txt",
]


def assert_cut_off(text: str, line: int, inside: str) -> None:
    """The page is refused as cut off inside that block, naming the line and quoting it."""
    with pytest.raises(MalformedPage) as caught:
        parse.parse_petition(text)
    message = str(caught.value)
    assert caught.value.line == line
    assert message.startswith(f"line {line}: the page seems cut off inside {inside}")
    quoted = message.split("it stops at this line: '")[1]
    assert quoted.startswith(text.split("\n")[line - 1].strip()[:60])


@pytest.mark.parametrize("name", CUT_PAIRS)
def test_cut_off_pairs_are_refused_naming_the_line(name):
    line, inside, ending = CUT_PAIRS[name]
    text = source(name)
    assert text.split("\n")[line - 1].rstrip().endswith(ending)
    assert_cut_off(text, line, inside)


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_pages_are_not_refused(name):
    data = page(name)
    assert data.number and (data.opened_at or data.presented_on)


def cut_after(name: str, end: str) -> str:
    """The page's text up to and including the first occurrence of end."""
    original = source(name)
    assert end in original
    return original[: original.index(end) + len(end)]


@pytest.mark.parametrize(
    ("name", "end", "inside"),
    [
        ("pairs/e-1961.en.txt", "Photo - Robert-Falcon Ouel", "the sponsor's block"),
        ("pairs/e-1961.en.txt", "Photo - Robert-Falcon Ouellette\nWinnipeg Centre", "the sponsor's"),
        ("pairs/e-1961.en.txt", "Winnipeg Centre\nLiberal Cau", "the sponsor's block"),
        ("pairs/e-1961.fr.txt", "Caucus Libéral\nMani", "the sponsor's province"),
        ("variants/no-photo.txt", "Robert-Falcon Ouellette\nWinnipeg Centre\nLiberal Caucus\nMan",
         "the sponsor's province"),
        ("seeds/000", "November 27, 20", "the timeline"),
        ("seeds/000", "Government response tabled\nJanuary 25, 2", "the timeline"),
        ("samples/e-701.fr.txt", "5 décembre 2016 à 11 h", "a date"),
        ("seeds/000", "September 15, 2020, at 3:23 p.m.", "a date"),
        ("seeds/000", "November 27, 2020 (Petition No. 432-", "the presentation line"),
        ("pairs/e-1657.en.txt", "Pam Damoff (Oakville North", "the timeline"),
        ("seeds/002", "Be proactive in protecting public safety, including", "an item of the prayer"),
        ("samples/e-2672.txt", "end the militarization of police forces", "the prayer"),
        ("seeds/002", "Our government is aware that some foreign", "a paragraph of the response"),
        ("variants/two-responses.txt", "Response by the Minister of Fin", "the response heading"),
        ("variants/two-responses.txt", "Signed by (Minister or Parliamentary Secretary): Ryan",
         "the response (its text is missing)"),
        ("variants/keywords-not-certified.txt", "Not Certified\nKeywords", "the keywords"),
    ],
)  # fmt: skip
def test_page_ending_inside_a_block_is_cut_off(name, end, inside):
    text = cut_after(name, end)
    assert_cut_off(text, text.count("\n") + 1, inside)


def test_cut_after_a_complete_sponsor_block_still_reads():
    text = cut_after("pairs/e-1961.fr.txt", "Caucus Libéral")
    assert parse.parse_petition(text).sponsor == MemberData(
        "Robert-Falcon Ouellette", "Winnipeg-Centre", "Caucus Libéral"
    )


def test_cut_inside_the_grievances_names_the_last_line_not_the_prayer():
    text = cut_after("pairs/e-1961.en.txt", "founding peoples of Canada; and")
    assert_cut_off(text, 14, "the grievances")


# Headings, addressees, member blocks and keywords of other layouts


@pytest.mark.parametrize(
    ("name", "heading", "prayer_start"),
    [
        ("variants/therefore-heading.txt", "THEREFORE", "We, the undersigned, Citizens"),
        ("variants/par-consequent.fr.txt", "CONSÉQUENT", "Nous, soussignés, citoyens"),
    ],
)
def test_heading_between_grievances_and_prayer(name, heading, prayer_start):
    data = page(name)
    assert len(data.grievances) == 3
    assert not any(heading in g or "WHEREAS" in g or "Attendu" in g for g in data.grievances)
    assert data.prayer_text.startswith(prayer_start) and heading not in data.prayer_text
    assert (
        data.grievances
        == page(
            name.replace("variants/therefore-heading", "pairs/e-1961.en").replace(
                "variants/par-consequent.fr", "pairs/e-1961.fr"
            )
        ).grievances
    )


def test_therefore_heading_marks_a_prayer_in_words_of_its_own():
    edited = replace(
        "variants/therefore-heading.txt",
        "We, the undersigned, Citizens of Canada, call upon the Government of Canada to revise",
        "Citizens of Canada would have the Government of Canada revise",
    )
    data = parse.parse_petition(edited)
    assert data.prayer_text.startswith("Citizens of Canada would have")
    assert len(data.grievances) == 3


@pytest.mark.parametrize("typo", ["Attendu qu :", "Attendu que:", "ATTENDU QUE :"])
def test_french_whereas_headings_are_not_grievances(typo):
    data = parse.parse_petition(replace("samples/e-701.fr.txt", "Attendu que :", typo))
    assert data.grievances == page("samples/e-701.fr.txt").grievances


@pytest.mark.parametrize(
    ("name", "addressee"),
    [
        ("pairs/e-1961.fr.txt", "gouvernement du Canada"),
        ("variants/adressee-chambre.fr.txt", "Chambre des communes"),
        ("variants/ministre.fr.txt",
         "ministre des Affaires étrangères et au ministre de la Citoyenneté et de l'Immigration"),
        ("variants/e-4321.fr.txt", "Chambre des communes"),
    ],
)  # fmt: skip
def test_french_addressee_lines(name, addressee):
    data = page(name)
    assert data.addressee == addressee
    assert "Pétition" not in " ".join(data.grievances)


def test_french_addressee_reads_like_the_english_one():
    assert page("pairs/e-1961.en.txt").addressee == "Government of Canada"
    assert page("pairs/e-1961.fr.txt").addressee == "gouvernement du Canada"
    assert page("pairs/e-1961.fr.txt").grievances[0].startswith("Les armoiries")


def test_sponsor_block_without_a_photo_line():
    assert page("variants/no-photo.txt").sponsor == MemberData(
        "Robert-Falcon Ouellette", "Winnipeg Centre", "Liberal Caucus", "Manitoba"
    )


def test_sponsor_block_without_a_photo_line_or_a_riding():
    edited = replace("samples/431-00205.txt", "Photo - Paul Manly", "Paul Manly")
    assert parse.parse_petition(edited).sponsor == MemberData(
        "Paul Manly", None, "Green Party Caucus", "British Columbia"
    )


def test_keywords_and_not_certified():
    data = page("variants/keywords-not-certified.txt")
    assert data.keywords == ["Animal welfare", "Fur", "Imports"]
    assert data.end_state == "not_certified"
    assert data.sponsor == page("samples/e-123.txt").sponsor
    assert data.prayer_items == page("samples/e-123.txt").prayer_items


@pytest.mark.parametrize(
    ("line", "terms"),
    [
        ("Keywords: Animal welfare, Fur, Imports", ["Animal welfare", "Fur", "Imports"]),
        ("Mots-clés : Bien-être des animaux; Fourrure", ["Bien-être des animaux", "Fourrure"]),
        ("Keywords\n  • Fur\n  • Imports", ["Fur", "Imports"]),
    ],
)
def test_keyword_forms(line, terms):
    edited = replace(
        "variants/keywords-not-certified.txt", "Keywords\nAnimal welfare\nFur\nImports", line
    )
    assert parse.parse_petition(edited).keywords == terms


def test_keywords_before_a_sponsor_block_without_a_photo_line():
    edited = replace("variants/keywords-not-certified.txt", "Photo - Don Davies", "Don Davies")
    data = parse.parse_petition(edited)
    assert data.keywords == ["Animal welfare", "Fur", "Imports"]
    assert data.sponsor == page("samples/e-123.txt").sponsor
