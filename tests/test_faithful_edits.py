"""An edit by hand changes only what was edited: a form saved as a browser sends it ("\\r\\n" line
breaks, every field and inline) changes nothing and records nothing; one changed word changes one
row and records one history row; a response keeps its paragraphs and their ¶ anchors. The public
"Record history" lists every correction, however many on one day."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone
from simple_history.models import HistoricalChanges

from documents.models import Document
from petitions.models import Grievance, Petition, PrayerItem
from responses.models import Response
from tests.conftest import DOCUMENT_SEEDS, SEEDS, count_queries, run_import, text_of

pytestmark = pytest.mark.django_db
SEED = SEEDS[0]  # e-2835, whose response has ten paragraphs
HISTORY_MODELS = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


class BrowserForm(HTMLParser):
    """What a browser submits from the admin's change form (`<form id="…_form">`), unchanged:
    every named input (checkboxes and radios when checked), each select's selected options and
    every textarea, whose line breaks a browser sends as "\\r\\n"."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea = self._select = None
        self.feed(page)

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = (a.get("id") or "").endswith("_form")
        name = a.get("name")
        if not self._in_form or (not name and tag != "option") or "disabled" in a:
            return
        kind = a.get("type", "text")
        if tag == "input" and kind not in ("file", "button", "reset", "image"):
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(name, a.get("value") or "on")
            elif kind != "submit" or name == "_save":  # the button clicked: "Save"
                self.add(name, a.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.add(name, "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.add(self._select, a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            name, self._textarea = self._textarea, None
            self.data[name][-1] = self.data[name][-1].removeprefix("\n").replace("\n", "\r\n")
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


@pytest.fixture
def admin():
    client = Client()
    client.force_login(User.objects.create_superuser("ada", "ada@example.org", None))
    return client


def browser_post(admin, url, edit=None, line_breaks=True):
    """GET the change form, let `edit` change its data, POST it back as a browser does.
    `line_breaks`: some textarea of the form holds more than one line."""
    page = admin.get(url)
    assert page.status_code == 200
    data = BrowserForm(page.content.decode()).data
    assert line_breaks == any("\r\n" in value for values in data.values() for value in values)
    if edit:
        edit(data)
    return admin.post(url, data)


def petition_url(petition) -> str:
    return f"/admin/petitions/petition/{petition.pk}/change/"


def stored(petition) -> dict:
    """Everything stored of the petition and its parts."""
    parts = {
        model.__name__: [model_to_dict(row) for row in model.objects.filter(petition=petition)]
        for model in (Grievance, PrayerItem, Response)
    }
    return {"petition": model_to_dict(Petition.objects.get(pk=petition.pk)), **parts}


def history_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in HISTORY_MODELS}


def change_word(name: str, old: str, new: str):
    def edit(data):
        [value] = data[name]
        assert old in value
        data[name] = [value.replace(old, new)]

    return edit


def response_anchors(client) -> list[str]:
    page = client.get("/petitions/e-2835/").content.decode()
    return re.findall(r'id="(response-1-p\d+)"', page)


def test_a_form_saved_unchanged_changes_nothing_and_records_nothing(admin, imported):
    petition = Petition.objects.get(number="e-2835")
    before, rows = stored(petition), history_rows()
    saved = browser_post(admin, petition_url(petition))
    assert saved.status_code == 302, text_of(saved)
    assert stored(petition) == before
    assert history_rows() == rows
    assert "e-2835 unchanged" in run_import(SEED)


def test_one_changed_word_changes_one_grievance_and_keeps_the_paragraphs(admin, client, imported):
    petition = Petition.objects.get(number="e-2835")
    before, rows = stored(petition), history_rows()
    assert len(response_anchors(client)) == 10
    saved = browser_post(
        admin, petition_url(petition), change_word("grievances-1-text", "two", "three")
    )
    assert saved.status_code == 302, text_of(saved)

    after = stored(petition)
    grievance = Grievance.objects.get(petition=petition, position=2)
    assert grievance.text.startswith("Foreign Affairs Minister")
    assert "mortgaged three properties in Britain" in grievance.text
    assert after["Grievance"][1] == {**before["Grievance"][1], "text": grievance.text}
    assert {**after, "Grievance": before["Grievance"]} == before
    assert added_history(rows) == {"HistoricalGrievance": 1}
    record = Grievance.history.latest("history_date")
    assert (record.id, record.history_type, record.history_user.username) == (
        grievance.pk,
        "~",
        "ada",
    )

    response = Response.objects.get(petition=petition)
    assert "\r" not in response.text and response.text.count("\n\n") == 9
    assert len(response.paragraphs) == 10
    assert response_anchors(client) == [f"response-1-p{n}" for n in range(1, 11)]


def added_history(rows: dict[str, int]) -> dict[str, int]:
    """The rows each history table gained since it had `rows`, for the tables that did."""
    return {name: n - rows[name] for name, n in history_rows().items() if n != rows[name]}


def test_typed_response_text_is_stored_as_paragraphs_separated_by_a_blank_line(admin, imported):
    response = Response.objects.get(petition__number="e-2835")
    url = f"/admin/responses/response/{response.pk}/change/"
    page = text_of(admin.get(url))
    assert "Paragraphs are separated by a blank line; each paragraph keeps its anchor ¶n" in page
    rows = history_rows()
    assert browser_post(admin, url).status_code == 302
    assert history_rows() == rows  # saved unchanged: nothing recorded

    def messy(data):
        data["text"] = ["  First paragraph. \r\n\r\n\r\n \t\r\nSecond paragraph.\u00a0\r\n \r\n"]

    assert browser_post(admin, url, messy).status_code == 302
    response.refresh_from_db()
    assert response.text == "First paragraph.\n\nSecond paragraph."
    assert [p for _anchor, p in response.paragraphs] == ["First paragraph.", "Second paragraph."]
    assert added_history(rows) == {"HistoricalResponse": 1}


def test_a_document_saved_unchanged_keeps_its_text(admin, db):
    run_import(*DOCUMENT_SEEDS)
    for document in Document.objects.all():
        before = model_to_dict(document) | {"updated_at": document.updated_at}
        paragraphs = list(document.paragraphs.values_list("position", "text", "is_heading"))
        url = f"/admin/documents/document/{document.pk}/change/"
        assert browser_post(admin, url, line_breaks=False).status_code == 302
        document.refresh_from_db()
        assert model_to_dict(document) | {"updated_at": document.updated_at} == before
        assert list(document.paragraphs.values_list("position", "text", "is_heading")) == (
            paragraphs
        )


def test_record_history_lists_each_correction_of_one_day(admin, client, db, tmp_path):
    run_import(SEED)
    then = timezone.now() - timezone.timedelta(days=30)
    Petition.objects.update(created_at=then)
    for model in (Petition, Grievance, PrayerItem, Response):
        model.history.update(history_date=then)
    queries = count_queries(client, "/petitions/e-2835/")

    edited = tmp_path / "e-2835.txt"
    edited.write_text(SEED.read_text().replace("sided with China", "sided with Beijing"))
    assert "e-2835 updated" in run_import(edited)
    petition = Petition.objects.get()
    saved = browser_post(
        admin, petition_url(petition), change_word("grievances-1-text", "two", "three")
    )
    assert saved.status_code == 302, text_of(saved)

    words = text_of(client.get("/petitions/e-2835/"))
    shown = words[words.index("Record history") :]
    archived, today = timezone.localdate(then), timezone.localdate()
    assert shown.startswith(
        f"Record history First archived on {archived:%B} {archived.day}, {archived.year}."
    )
    corrected = re.findall(r"Corrected on (\w+ \d+, \d+): ([\w ,]+)\.", shown)
    assert corrected == [(f"{today:%B} {today.day}, {today.year}", "Grievances")] * 2
    assert count_queries(client, "/petitions/e-2835/") == queries


def test_a_response_saved_with_browser_line_breaks_still_shows_its_paragraphs(client, imported):
    """A response stored before typed text was cleaned keeps its ¶ anchors on the public page."""
    response = Response.objects.get(petition__number="e-2835")
    Response.objects.filter(pk=response.pk).update(text=response.text.replace("\n", "\r\n"))
    assert response_anchors(client) == [f"response-1-p{n}" for n in range(1, 11)]
