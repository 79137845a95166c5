"""Reading news articles and briefing notes: the two seed documents field by field, then variants."""

from datetime import date
from html import escape

import pytest

from importer.documents.data import MalformedPage, NotADocumentPage, UnreadableInput
from importer.documents.parse import parse_document, parse_document_text
from tests.conftest import DOCUMENT_SEEDS

NEWS, BRIEFING = DOCUMENT_SEEDS
APPROVED_BY = "Dominic Rochon, Senior Assistant Deputy Minister, 613-990-4976"


def test_the_document_seeds_are_the_news_article_and_the_briefing_note():
    assert [path.name[:3] for path in DOCUMENT_SEEDS] == ["003", "004"]


def test_news_article_seed_field_by_field():
    data = parse_document(NEWS.read_bytes())
    assert data.kind == "news-article" and data.kind_label == "news article"
    assert data.title == (
        "Political interference: foreign actors had relationships with Canadian MPs and senators"
    )
    assert data.language == "en"
    # The page prints neither a date nor an outlet: the archive does not invent them.
    assert (data.published_on, data.publisher) == (None, "")
    assert data.byline == "With Boris Proulx"
    assert (data.classification, data.branch, data.prepared_by, data.approved_by) == ("",) * 4
    assert data.summary == ""
    headings = [b.text for b in data.blocks if b.is_heading]
    assert headings == ["Too slow to react", "Be careful with diplomats"]
    assert len(data.paragraphs) == 19 and len(data.blocks) == 21
    assert data.paragraphs[0].startswith("Federal MPs began “knowingly assisting” foreign state")
    assert data.paragraphs[4].startswith("“I have great confidence in our national security")
    assert data.paragraphs[-1] == (
        "Commissioner Marie-Josée Hogue’s final report on foreign interference is expected at "
        "the end of the year."
    )
    assert [b.text for b in data.blocks].index("Too slow to react") == 7


def test_news_article_leaves_out_the_sites_frame():
    texts = " ".join(block.text for block in parse_document(NEWS.read_bytes()).blocks)
    for frame in ["To watch on video", "source site-46", "With Boris Proulx"]:
        assert frame not in texts


def test_briefing_note_seed_field_by_field():
    data = parse_document(BRIEFING.read_bytes())
    assert data.kind == "briefing-note" and data.kind_label == "briefing note"
    assert data.title == "Foreign Interference"
    assert data.published_on == date(2020, 11, 24)
    assert data.classification == "Unclassified"
    assert data.branch == "NSCB/PS"
    assert data.publisher == "Public Safety Canada"  # the agency that closes "Branch/Agency"
    assert data.prepared_by == "NSOD"
    assert data.approved_by == APPROVED_BY
    assert data.language == "en" and data.byline == ""
    assert data.summary == (
        "Public engagement and awareness efforts by the Government of Canada related to threats "
        "posed by espionage and foreign interference."
    )
    assert [(b.text, b.is_heading) for b in data.blocks[:2]] == [
        ("Proposed Response", True),
        ("Foreign Interference", True),
    ]
    assert len(data.paragraphs) == 7
    assert data.paragraphs[0].startswith("Foreign interference and espionage includes any efforts")
    assert data.paragraphs[-1].startswith("When CSIS is informed of allegations")
    assert data.paragraphs[-1].endswith("against the 2019 federal elections.")
    assert not any("Date modified" in text or "Prepared by" in text for text in data.paragraphs)


def briefing_text(*dropped: str) -> str:
    lines = BRIEFING.read_text().split("\n")
    return "\n".join(line for line in lines if not line.startswith(dropped))


def test_briefing_note_without_its_header_fields_still_reads():
    text = briefing_text("Date:", "Classification:", "Branch/Agency:", "Prepared by:", "Approved")
    data = parse_document_text(text)
    assert data.kind == "briefing-note" and data.title == "Foreign Interference"
    assert data.published_on is None
    assert (data.classification, data.branch, data.prepared_by, data.approved_by) == ("",) * 4
    assert data.publisher == ""
    assert data.summary.startswith("Public engagement") and len(data.paragraphs) == 7


def test_briefing_note_recognised_by_a_label_alone_without_sections():
    text = briefing_text("Proposed Response:", "Date:", "Classification:", "Branch/Agency:")
    data = parse_document_text(text)
    assert data.kind == "briefing-note" and data.prepared_by == "NSOD"
    assert data.summary == ""  # no section: everything after the title is the body
    assert data.paragraphs[0].startswith("Public engagement and awareness efforts")


def test_briefing_note_with_an_unreadable_date_is_refused_with_its_line():
    text = BRIEFING.read_text().replace("Date: November 24, 2020", "Date: sometime in the fall")
    with pytest.raises(MalformedPage, match=r"line 3: .*'sometime in the fall' is not a date"):
        parse_document_text(text)


def test_briefing_note_without_a_title_is_refused():
    with pytest.raises(MalformedPage, match="no title"):
        parse_document_text("Classification: Unclassified\nProposed Response:\n")


def test_briefing_note_without_text_is_refused():
    with pytest.raises(MalformedPage, match="no text"):
        parse_document_text("Border measures\n\nClassification: Secret\nPrepared by: CBSA\n")


def test_french_briefing_note():
    text = """Ingérence étrangère

Date : 24 novembre 2020

Classification : Non classifié

Direction générale/organisme : SCNC/SP

Les efforts de mobilisation du public déployés par le gouvernement du Canada.

Réponse proposée :

L'ingérence étrangère et l'espionnage comprennent toute tentative d'un État étranger.

Préparé par : DOSN
Approuvé par : Dominic Rochon, sous-ministre adjoint principal
"""
    data = parse_document_text(text)
    assert (data.kind, data.language, data.title) == ("briefing-note", "fr", "Ingérence étrangère")
    assert data.published_on == date(2020, 11, 24)
    assert (data.classification, data.branch) == ("Non classifié", "SCNC/SP")
    assert data.publisher == "Sécurité publique Canada"
    assert (data.prepared_by, data.approved_by) == (
        "DOSN",
        "Dominic Rochon, sous-ministre adjoint principal",
    )
    assert data.summary.startswith("Les efforts de mobilisation")
    assert [b.text for b in data.blocks] == [
        "Réponse proposée",
        "L'ingérence étrangère et l'espionnage comprennent toute tentative d'un État étranger.",
    ]


ARTICLE = """Ottawa tables a foreign agent registry bill

By Jane Smith and Luc Tremblay
Published June 4, 2024
Source: The Example Times

The federal government tabled a bill on Monday that would create a registry of people acting
on behalf of foreign states, a measure that petitioners have sought for years.

The minister said the registry would apply to anyone who seeks to influence Canadian politics
for a foreign principal, and that the penalties for failing to register would be steep.

What the bill does

Critics said the bill came late, but welcomed it. Several diaspora groups said they had been
asking for such a registry since 2020, when reports of intimidation first surfaced.

The bill goes to committee next week, where members will hear from witnesses on both sides.
"""


def test_news_article_with_credits_date_and_outlet():
    data = parse_document_text(ARTICLE)
    assert data.kind == "news-article"
    assert data.title == "Ottawa tables a foreign agent registry bill"
    assert data.byline == "By Jane Smith and Luc Tremblay"
    assert data.published_on == date(2024, 6, 4)
    assert data.publisher == "The Example Times"
    assert [b.text for b in data.blocks if b.is_heading] == ["What the bill does"]
    assert len(data.paragraphs) == 4
    # Hard-wrapped lines are joined into their paragraph.
    assert data.paragraphs[0] == (
        "The federal government tabled a bill on Monday that would create a registry of people "
        "acting on behalf of foreign states, a measure that petitioners have sought for years."
    )


def test_short_wrapped_lines_join_and_a_heading_without_blank_lines_stands_apart():
    text = """Agencies saw the threat grow

Canadian security and intelligence agencies considered
the threat from abroad to be growing in each year since
the last election, officials told the committee on Monday.
Too slow to react
The committee also accuses Ottawa of having been too slow to react to foreign states.
Its members said the delay represents a serious shortcoming with lasting consequences.

The minister defended the government, saying that measures to detect and counter foreign
interference had been put in place since 2015, and that more would follow this year.
"""
    data = parse_document_text(text)
    assert [(b.text, b.is_heading) for b in data.blocks] == [
        (
            "Canadian security and intelligence agencies considered the threat from abroad to "
            "be growing in each year since the last election, officials told the committee on "
            "Monday.",
            False,
        ),
        ("Too slow to react", True),
        (
            "The committee also accuses Ottawa of having been too slow to react to foreign states.",
            False,
        ),
        (
            "Its members said the delay represents a serious shortcoming with lasting "
            "consequences.",
            False,
        ),
        (
            "The minister defended the government, saying that measures to detect and counter "
            "foreign interference had been put in place since 2015, and that more would follow "
            "this year.",
            False,
        ),
    ]


def test_html_pages_read_like_their_text():
    title, *lines = [line for line in NEWS.read_text().split("\n") if line.strip()]
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<!doctype html><html><head><title>Site</title></head><body><nav><a href='/'>Home</a>"
        f"</nav><article><h1>{escape(title)}</h1>{body}</article></body></html>"
    )
    assert parse_document(html.encode()) == parse_document(NEWS.read_bytes())


def test_windows_1252_and_crlf_pages_read_like_utf8():
    text = BRIEFING.read_text()
    raw = text.replace("\n", "\r\n").encode("cp1252")
    assert parse_document(raw) == parse_document(BRIEFING.read_bytes())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Just a line\n\nAnd another\n", "0 paragraphs of prose"),
        (
            "This is a sentence that ends with a period.\n\n" + "Words and more words. " * 40,
            "reads as a sentence, not the headline",
        ),
        (
            "Shopping list\n\n- eggs\n- milk\n- bread\n",
            "a news article has a headline and at least 3 paragraphs",
        ),
        (
            "name,city,province\nmimi lee,Markham,Ontario\nJane Doe,Ottawa,Ontario\n",
            "0 paragraphs of prose",
        ),
        (
            "Initiated by mimi lee from Markham, Ontario\n\nPetition to the House of Commons\n",
            "reads like part of a petition page",
        ),
    ],
)
def test_text_that_is_neither_kind_is_refused_with_a_reason(text, reason):
    with pytest.raises(NotADocumentPage, match=reason):
        parse_document_text(text)


def test_empty_and_binary_pages_are_unreadable():
    with pytest.raises(UnreadableInput, match="empty"):
        parse_document(b"  \n\n")
    with pytest.raises(UnreadableInput, match="not a text file"):
        parse_document(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
