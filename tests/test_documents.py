"""Context documents: import, pages, links and suggestions, search results and topic pages."""

import re
from datetime import date
from io import StringIO

import factory
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from documents import search as document_search, similarity
from documents.models import (
    Document,
    DocumentSource,
    Paragraph,
    PetitionLink,
    Suggestion,
    TopicLink,
)
from documents.sitemaps import DocumentSitemap
from importer.pages import import_any
from petitions import search as petition_search
from petitions.models import Petition, Topic
from tests.conftest import (
    DOCUMENT_SEEDS,
    PETITION_PAGES,
    SEEDS,
    count_queries,
    run_import,
    screenshot,
)
from tests.factories import PetitionFactory, TopicFactory

pytestmark = pytest.mark.django_db

NEWS_SLUG = "political-interference-foreign-actors-had-relationships-with-canadian-mps-and-senators"
NOTE_SLUG = "foreign-interference-2020-11-24"
FOREIGN_INTERFERENCE = {"e-2835", "e-2559", "e-4172"}  # the seed petitions on the subject


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    slug = factory.Sequence(lambda n: f"document-{n}")
    kind = "news-article"
    title = factory.Sequence(lambda n: f"Document {n}")
    published_on = date(2024, 6, 4)
    publisher = "The Example Times"


@pytest.fixture
def archive(db):
    """Every petition page and both document seeds, through the real import command."""
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def suggested_numbers(document: Document) -> set[str]:
    return set(document.suggestions.values_list("petition__number", flat=True))


def warm_count(client, path) -> int:
    """Queries of a request after one like it (the list's facet counts are cached by then)."""
    client.get(path)
    return count_queries(client, path)


# Import


def test_both_document_seeds_import_with_the_petitions(archive):
    assert f"news article {NEWS_SLUG} created" in archive
    assert f"briefing note {NOTE_SLUG} created" in archive
    assert archive.strip().endswith("9 created, 0 updated, 0 unchanged, 0 failed")
    assert Document.objects.count() == 2 and DocumentSource.objects.count() == 2


def test_news_article_every_field(archive):
    doc = Document.objects.get(slug=NEWS_SLUG)
    assert (doc.kind, doc.language, doc.published_on, doc.publisher) == (
        "news-article",
        "en",
        None,
        "",
    )
    assert doc.title.startswith("Political interference: foreign actors had relationships")
    assert doc.byline == "With Boris Proulx"
    assert (doc.classification, doc.branch, doc.prepared_by, doc.approved_by, doc.summary) == (
        ("",) * 5
    )
    paragraphs = list(doc.paragraphs.all())
    assert len(paragraphs) == 21
    assert [p.text for p in paragraphs if p.is_heading] == [
        "Too slow to react",
        "Be careful with diplomats",
    ]
    assert paragraphs[0].text.startswith("Federal MPs began “knowingly assisting”")
    source = doc.latest_source
    assert source.public_name == DOCUMENT_SEEDS[0].name
    assert source.raw_text == DOCUMENT_SEEDS[0].read_text()
    assert source.imported_by.startswith("command:")
    assert len(source.content_hash) == 64


def test_briefing_note_every_field(archive):
    doc = Document.objects.get(slug=NOTE_SLUG)
    assert (doc.kind, doc.title, doc.published_on, doc.language) == (
        "briefing-note",
        "Foreign Interference",
        date(2020, 11, 24),
        "en",
    )
    assert (doc.classification, doc.branch, doc.publisher) == (
        "Unclassified",
        "NSCB/PS",
        "Public Safety Canada",
    )
    assert (doc.prepared_by, doc.approved_by) == (
        "NSOD",
        "Dominic Rochon, Senior Assistant Deputy Minister, 613-990-4976",
    )
    assert doc.summary.startswith("Public engagement and awareness efforts")
    assert [(p.position, p.is_heading) for p in doc.paragraphs.all()][:3] == [
        (1, True),
        (2, True),
        (3, False),
    ]
    assert doc.paragraphs.count() == 9


def test_reimport_changes_nothing(archive):
    tables = [Document, Paragraph, DocumentSource, Suggestion, Petition]
    before = {model: list(model.objects.order_by("pk").values()) for model in tables}
    out = run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)
    assert out.strip().endswith("0 created, 0 updated, 9 unchanged, 0 failed")
    assert f"news article {NEWS_SLUG} unchanged" in out
    for model in tables:
        assert list(model.objects.order_by("pk").values()) == before[model], model


def test_changed_document_updates_and_keeps_both_sources(archive, tmp_path):
    edited = tmp_path / "note.txt"
    edited.write_text(
        DOCUMENT_SEEDS[1].read_text().replace("Prepared by: NSOD", "Prepared by: NSD")
    )
    out = run_import(edited)
    assert f"briefing note {NOTE_SLUG} updated (prepared_by)" in out
    doc = Document.objects.get(slug=NOTE_SLUG)
    assert doc.prepared_by == "NSD"
    assert doc.sources.count() == 2 and doc.latest_source.source == str(edited)
    assert run_import(edited).strip().endswith("0 created, 0 updated, 1 unchanged, 0 failed")


def test_metadata_the_page_leaves_out_keeps_what_staff_entered(archive):
    Document.objects.filter(slug=NEWS_SLUG).update(
        publisher="Le Devoir", published_on=date(2024, 6, 4)
    )
    out = run_import(DOCUMENT_SEEDS[0])
    assert out.strip().endswith("0 created, 0 updated, 1 unchanged, 0 failed")
    doc = Document.objects.get(slug=NEWS_SLUG)
    assert (doc.publisher, doc.published_on) == ("Le Devoir", date(2024, 6, 4))


def test_dry_run_writes_nothing(db):
    out = run_import(*DOCUMENT_SEEDS, dry_run=True)
    assert out.strip().endswith(
        "dry run, nothing written: 2 created, 0 updated, 0 unchanged, 0 failed"
    )
    assert Document.objects.count() == 0 and DocumentSource.objects.count() == 0


def test_page_that_is_neither_is_refused_and_the_others_still_import(db, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Shopping list\n\n- eggs\n- milk\n")
    out = run_import(note, *DOCUMENT_SEEDS, fails=True)
    line = next(line for line in out.splitlines() if line.startswith(f"{note}:"))
    assert "this looks like neither a petition page nor a news article or briefing note" in line
    assert "no petition number heading" in line and "at least 3 paragraphs" in line
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in out
    assert Document.objects.count() == 2


def test_broken_briefing_note_writes_nothing(db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(DOCUMENT_SEEDS[1].read_text().replace("November 24, 2020", "soon"))
    out = run_import(bad, fails=True)
    assert "line 3: the briefing note's date 'soon' is not a date" in out
    assert Document.objects.count() == Paragraph.objects.count() == 0
    assert DocumentSource.objects.count() == 0


def test_import_any_reports_the_kind_of_page(db):
    note = import_any(DOCUMENT_SEEDS[1].read_bytes(), "note.txt", "test")
    petition = import_any(SEEDS[0].read_bytes(), "petition.txt", "test")
    assert (note.kind, note.number, note.action) == ("briefing note", NOTE_SLUG, "created")
    assert (petition.kind, petition.number, petition.action) == ("petition", "e-2835", "created")
    again = import_any(DOCUMENT_SEEDS[1].read_bytes(), "note.txt", "test")
    assert (again.action, again.changes) == ("unchanged", {})


# Suggestions


def test_seed_documents_and_foreign_interference_petitions_find_each_other(archive):
    for slug in (NEWS_SLUG, NOTE_SLUG):
        assert suggested_numbers(Document.objects.get(slug=slug)) == FOREIGN_INTERFERENCE


def test_documents_imported_before_the_petitions_still_find_them(db):
    run_import(*DOCUMENT_SEEDS)
    assert Suggestion.objects.count() == 0
    run_import(*PETITION_PAGES)
    for slug in (NEWS_SLUG, NOTE_SLUG):
        assert suggested_numbers(Document.objects.get(slug=slug)) == FOREIGN_INTERFERENCE


def test_unrelated_petitions_are_not_suggested(archive):
    topic = TopicFactory(name="Fisheries", slug="fisheries")
    for _ in range(30):
        PetitionFactory(
            topic=topic,
            prayer_text="We call upon the Government to protect salmon habitat and fish stocks.",
        )
    petition_search.reindex()
    similarity.refresh_all()
    for slug in (NEWS_SLUG, NOTE_SLUG):
        assert suggested_numbers(Document.objects.get(slug=slug)) == FOREIGN_INTERFERENCE


def test_refresh_command_recomputes_suggestions(archive):
    Suggestion.objects.all().delete()
    out = StringIO()
    call_command("refresh_suggestions", stdout=out)
    assert out.getvalue().strip() == "2 document(s), 6 suggestion(s)"
    assert suggested_numbers(Document.objects.get(slug=NOTE_SLUG)) == FOREIGN_INTERFERENCE


# Pages


def test_document_page_shows_metadata_text_anchors_and_provenance(client, archive):
    html = client.get(f"/documents/{NOTE_SLUG}/").content.decode()
    for text in [
        "<h1>Foreign Interference</h1>", "Briefing note", "November 24, 2020", "Unclassified",
        "NSCB/PS", "Public Safety Canada", "NSOD", "Dominic Rochon, Senior Assistant Deputy Minister",
        "Public engagement and awareness efforts", '<h3 id="s1">Proposed Response</h3>',
        'id="p3"', 'href="#p3"', "004_ab71578f23a7ad66.txt", "SHA-256",
        f"/documents/{NOTE_SLUG}/",
    ]:  # fmt: skip
        assert text in html, text


def test_news_article_page_says_what_the_page_does_not_state(client, archive):
    html = client.get(f"/documents/{NEWS_SLUG}/").content.decode()
    assert "News article" in html and "With Boris Proulx" in html
    assert html.count("Not stated on the page") == 2  # its date and its outlet
    assert '<h3 id="s8">Too slow to react</h3>' in html
    assert "Classification" not in html


def test_suggestions_are_labelled_and_apart_from_confirmed_links(client, archive):
    doc = Document.objects.get(slug=NOTE_SLUG)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "No petition has been linked to this document by the archive's staff yet." in html
    suggested = html.split("Suggested by the archive")[1]
    for number in FOREIGN_INTERFERENCE:
        assert f'href="/petitions/{number}/"' in suggested
    e2835 = Petition.objects.get(number="e-2835")
    PetitionLink.objects.create(document=doc, petition=e2835, note="Cites NSICOP's report")
    TopicLink.objects.create(document=doc, topic=Topic.objects.get(slug="public-safety"))
    html = client.get(doc.get_absolute_url()).content.decode()
    confirmed, suggested = html.split("Suggested by the archive")
    assert 'href="/petitions/e-2835/"' in confirmed and "Cites NSICOP&#x27;s report" in confirmed
    assert 'href="/petitions/e-2835/"' not in suggested  # confirmed: no longer a suggestion
    assert 'href="/topics/public-safety/"' in html and 'href="/topics/foreign-affairs/"' in html


def test_petition_page_lists_its_documents(client, archive):
    html = client.get("/petitions/e-2835/").content.decode()
    assert "Context documents" in html
    suggested = html.split("Suggested by the archive")[1]
    assert f'href="/documents/{NOTE_SLUG}/"' in suggested
    assert f'href="/documents/{NEWS_SLUG}/"' in suggested
    PetitionLink.objects.create(
        document=Document.objects.get(slug=NEWS_SLUG),
        petition=Petition.objects.get(number="e-2835"),
    )
    html = client.get("/petitions/e-2835/").content.decode()
    confirmed, suggested = html.split("Suggested by the archive")
    assert f'href="/documents/{NEWS_SLUG}/"' in confirmed.split("Context documents")[1]
    assert f'href="/documents/{NEWS_SLUG}/"' not in suggested


def test_petition_without_documents_shows_no_section(client, archive):
    assert "Context documents" not in client.get("/petitions/e-123/").content.decode()


def test_petition_page_queries_do_not_grow_with_documents(client):
    petition = PetitionFactory()
    PetitionLink.objects.create(document=DocumentFactory(), petition=petition)
    few = count_queries(client, petition.get_absolute_url())
    for document in DocumentFactory.create_batch(8):
        PetitionLink.objects.create(document=document, petition=petition)
    for document in DocumentFactory.create_batch(8):
        Suggestion.objects.create(document=document, petition=petition, score=3, shared_terms=3)
    html = client.get(petition.get_absolute_url()).content.decode()
    assert html.count('class="document-row"') == 9 + 5  # confirmed, then the 5 best suggestions
    assert count_queries(client, petition.get_absolute_url()) == few


def test_document_page_queries_do_not_grow_with_text_or_links(client):
    small = DocumentFactory()
    Paragraph.objects.create(document=small, position=1, text="One.")
    big = DocumentFactory()
    for position in range(1, 30):
        Paragraph.objects.create(document=big, position=position, text="A paragraph.")
    for petition in PetitionFactory.create_batch(6):
        PetitionLink.objects.create(document=big, petition=petition)
        TopicLink.objects.get_or_create(document=big, topic=petition.topic)
    for petition in PetitionFactory.create_batch(6):
        Suggestion.objects.create(document=big, petition=petition, score=2, shared_terms=3)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, big.get_absolute_url()
    )
    assert count_queries(client, big.get_absolute_url()) <= 6


def test_imported_text_is_escaped(client):
    doc = DocumentFactory(title="<script>alert('title')</script>", byline="<b>By</b>")
    Paragraph.objects.create(document=doc, position=1, text="<img src=x onerror=alert(1)>")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;By&lt;/b&gt;" in html


def test_unknown_document_is_a_404(client, db):
    response = client.get("/documents/no-such-document/")
    assert response.status_code == 404
    assert b"No document at this address is in the archive." in response.content


# The list of documents, search results, topic pages


def test_document_list_and_kind_filter(client, archive):
    html = client.get("/documents/").content.decode()
    assert "2 documents" in html and NEWS_SLUG in html and NOTE_SLUG in html
    html = client.get("/documents/?kind=briefing-note").content.decode()
    assert "1 document" in html and NOTE_SLUG in html and NEWS_SLUG not in html
    html = client.get("/documents/?q=diplomats").content.decode()
    assert NEWS_SLUG in html and NOTE_SLUG not in html and "<mark>diplomats</mark>" in html


@pytest.mark.parametrize(
    ("path", "words"), [("/documents/?kind=memo", "kind"), ("/documents/?q=" + "x" * 201, "q")]
)
def test_bad_list_parameters_are_a_400(client, db, path, words):
    response = client.get(path)
    assert response.status_code == 400
    assert f"<li>{words}:" in response.content.decode()


def test_search_results_show_matching_documents_as_their_own_group(client, archive):
    html = client.get("/petitions/?q=foreign+interference").content.decode()
    group = html.split('id="document-group-heading"')[1].split("</section>")[0]
    assert f'href="/documents/{NEWS_SLUG}/"' in group and f'href="/documents/{NOTE_SLUG}/"' in group
    assert "<mark>" in group
    assert html.index("document-group-heading") < html.index('class="petition-list"')
    html = client.get("/petitions/?q=espionage").content.decode()
    group = html.split('id="document-group-heading"')[1].split("</section>")[0]
    assert NOTE_SLUG in group and NEWS_SLUG not in group
    assert "document-group-heading" not in client.get("/petitions/").content.decode()
    assert "document-group-heading" not in client.get("/petitions/?q=salmon").content.decode()


def test_search_group_is_one_query_however_many_documents_match(client, db):
    PetitionFactory()
    for document in DocumentFactory.create_batch(2, title="Foreign interference report"):
        Paragraph.objects.create(document=document, position=1, text="About interference.")
    document_search.reindex()
    path = "/petitions/?q=interference"
    few = warm_count(client, path)
    for document in DocumentFactory.create_batch(10, title="Foreign interference report"):
        Paragraph.objects.create(document=document, position=1, text="About interference.")
    document_search.reindex()
    client.get(path)  # documents are part of the archive's version: the counts are taken again
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    assert len(queries) == few
    assert sum("documents_document" in q["sql"] for q in queries.captured_queries) == 1
    assert html.count('class="document-row"') == 5 and "Every matching document" in html


def test_topic_page_lists_documents_linked_to_it_or_its_petitions(client, archive):
    news, note = Document.objects.get(slug=NEWS_SLUG), Document.objects.get(slug=NOTE_SLUG)
    assert "Documents on this topic" not in client.get("/topics/foreign-affairs/").content.decode()
    PetitionLink.objects.create(document=news, petition=Petition.objects.get(number="e-2835"))
    TopicLink.objects.create(document=note, topic=Topic.objects.get(slug="public-safety"))
    html = client.get("/topics/foreign-affairs/").content.decode()
    section = html.split("Documents on this topic")[1].split("</section>")[0]
    assert NEWS_SLUG in section and NOTE_SLUG not in section
    html = client.get("/topics/public-safety/").content.decode()
    section = html.split("Documents on this topic")[1].split("</section>")[0]
    assert NOTE_SLUG in section and NEWS_SLUG not in section


def test_topic_page_queries_do_not_grow_with_documents(client):
    topic = TopicFactory()
    PetitionFactory(topic=topic)
    TopicLink.objects.create(document=DocumentFactory(), topic=topic)
    few = warm_count(client, topic.get_absolute_url())
    for document in DocumentFactory.create_batch(6):
        TopicLink.objects.create(document=document, topic=topic)
    assert warm_count(client, topic.get_absolute_url()) == few


def test_sitemap_section_lists_every_document_page(archive):
    sitemap = DocumentSitemap()
    locations = [sitemap.location(document) for document in sitemap.items()]
    assert sorted(locations) == [f"/documents/{NOTE_SLUG}/", f"/documents/{NEWS_SLUG}/"]
    assert sitemap.get_latest_lastmod() == Document.objects.latest("updated_at").updated_at


# Admin


def test_staff_link_a_document_to_a_petition_and_a_topic_in_the_admin(admin_client, archive):
    doc = Document.objects.get(slug=NEWS_SLUG)
    url = f"/admin/documents/document/{doc.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Suggested petitions" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["published_on"] = ""
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data.update({f"{prefix}-{k}": v for k, v in management.initial.items()})
        for i, inline_form in enumerate(formset.formset.initial_forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    data["petition_links-TOTAL_FORMS"] = "1"
    data["petition_links-0-petition"] = str(Petition.objects.get(number="e-4172").pk)
    data["petition_links-0-note"] = "Foreign police stations"
    data["topic_links-TOTAL_FORMS"] = "1"
    data["topic_links-0-topic"] = str(Topic.objects.get(slug="public-safety").pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert PetitionLink.objects.get(document=doc).petition.number == "e-4172"
    assert TopicLink.objects.get(document=doc).topic.slug == "public-safety"
    assert doc.paragraphs.count() == 21  # the text is untouched
    assert suggested_numbers(doc) == FOREIGN_INTERFERENCE


def test_admin_lists_need_staff(client, admin_client, archive):
    assert client.get("/admin/documents/document/").status_code == 302
    html = admin_client.get("/admin/documents/document/").content.decode()
    assert "Foreign Interference" in html and "Political interference" in html


# In a browser


@pytest.fixture
def committed_documents(transactional_db):
    """As `archive`, committed, so that the live server's thread sees it."""
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def test_a_reader_goes_from_a_petition_to_a_document_paragraph(
    committed_documents, page, live_server
):
    """Debian's Chromium, as in test_browser.py: the pages are imported (committed) first."""
    page.goto("/petitions/e-2835/")
    documents = page.locator("section.context-documents")
    expect(documents).to_contain_text("Suggested by the archive")
    documents.get_by_role("link", name="Foreign Interference", exact=True).click()
    page.wait_for_url(f"{live_server.url}/documents/{NOTE_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foreign Interference")
    expect(page.locator("dl.facts")).to_contain_text("Public Safety Canada")
    page.locator("#p5").hover()
    page.locator('a[href="#p5"]').click()
    page.wait_for_url(re.compile(r"#p5$"))
    assert page.evaluate("document.querySelector(':target').id") == "p5"
    screenshot(page, "documents-01-briefing-note")
