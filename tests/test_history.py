"""Every change to a petition and its parts is kept: by import or by hand, who, when, before and
after; staff see it in the admin, readers see a short "Record history" on the petition page.
Hand entry in the admin applies the importer's rules."""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from petitions import search
from petitions.models import Grievance, Petition, PrayerItem
from responses.models import Response
from tests.conftest import SEEDS, count_queries, run_import, text_of
from tests.factories import GrievanceFactory, PetitionFactory, ResponseFactory

pytestmark = pytest.mark.django_db
SEED = SEEDS[0]  # e-2835
HAND = "Edited by hand in the admin"


class FormValues(HTMLParser):
    """What a browser would submit from a page's main form, unchanged."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea = self._select = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea, self.values[name] = name, ""
        elif tag == "select" and name:
            self._select, self.values[name] = name, ""
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += (
                data.removeprefix("\n") if not self.values[self._textarea] else data
            )


@pytest.fixture
def admin():
    client = Client()
    client.force_login(User.objects.create_superuser("ada", "ada@example.org", None))
    return client


def change(admin, petition, **edits):
    """Open the petition's admin page, change some fields, save; returns the response."""
    url = f"/admin/petitions/petition/{petition.pk}/change/"
    values = FormValues(admin.get(url).content.decode()).values
    values.update(edits)
    return admin.post(url, values)


def edited_seed(tmp_path, *replacements):
    text = SEED.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "e-2835.txt"
    path.write_text(text)
    return path


def backdate(days: int):
    """Make everything recorded so far `days` old, as if the archive had been running."""
    then = timezone.now() - timedelta(days=days)
    Petition.objects.update(created_at=then)
    for model in (Petition, Grievance, PrayerItem, Response):
        model.history.update(history_date=then)
    return timezone.localdate(then)


def test_the_command_records_each_row_with_its_reason_and_no_user(db):
    run_import(SEED)
    [record] = Petition.history.all()
    assert (record.number, record.history_type, record.history_user) == ("e-2835", "+", None)
    assert record.history_change_reason == f"Imported from {SEED}"
    assert Grievance.history.filter(history_type="+").count() == 5
    assert PrayerItem.history.filter(history_type="+").count() == 2
    [response] = Response.history.all()
    assert response.history_change_reason == f"Imported from {SEED}"
    run_import(SEED)  # unchanged: nothing more is recorded
    assert Petition.history.count() == 1 and Grievance.history.count() == 5


def test_a_changed_page_records_what_changed_row_by_row(db, tmp_path):
    run_import(SEED)
    first = list(Grievance.objects.order_by("position").values_list("pk", flat=True))
    path = edited_seed(
        tmp_path,
        ("two properties in Britain", "three properties in Britain"),
        ("Rob Oliphant", "Robert Oliphant"),
    )
    run_import(path)
    assert list(Grievance.objects.order_by("position").values_list("pk", flat=True)) == first
    [changed] = Grievance.history.filter(history_type="~")
    assert changed.position == 2 and "three properties" in changed.text
    assert "two properties" in changed.prev_record.text
    assert changed.history_change_reason == f"Imported from {path}"
    [response] = Response.history.filter(history_type="~")
    assert response.prev_record.signer.name == "Rob Oliphant"
    assert response.signer.name == "Robert Oliphant"
    assert PrayerItem.history.exclude(history_type="+").count() == 0
    latest = Petition.objects.get().history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", f"Imported from {path}")


def test_a_page_that_drops_and_adds_parts_records_deletions_and_additions(db, tmp_path):
    run_import(SEED)
    text = SEED.read_text()
    prayer = "1. Reaffirm its commitment"
    grievance = text.split("\n  • ")[5].split("\n")[0]
    path = tmp_path / "e-2835.txt"
    path.write_text(
        text.replace(f"\n  • {grievance}", "").replace(prayer, "1. A new item\n" + prayer)
    )
    assert "would remove: grievance 5" in run_import(path, fails=True)  # not silently
    run_import(path, allow_removals=True)
    [removed] = Grievance.history.filter(history_type="-")
    assert removed.position == 5 and removed.text == grievance
    assert removed.history_change_reason == f"Imported from {path} (removals allowed)"
    assert PrayerItem.history.filter(history_type="+").count() == 3
    assert list(PrayerItem.objects.values_list("position", flat=True)) == [1, 2, 3]


def test_hand_edits_record_who_when_and_before_and_after(admin, db):
    run_import(SEED)
    petition = Petition.objects.get()
    saved = change(
        admin,
        petition,
        signatures="1234",
        **{"grievances-0-text": "A zebra crossing the border."},
    )
    assert saved.status_code == 302, text_of(saved)
    latest = petition.history.first()
    assert (latest.history_user.username, latest.history_change_reason) == ("ada", HAND)
    assert (latest.prev_record.signatures, latest.signatures) == (None, 1234)
    [grievance] = Grievance.history.filter(history_type="~")
    assert (grievance.history_user.username, grievance.history_change_reason) == ("ada", HAND)
    assert grievance.prev_record.text.startswith("Former Ambassador to China")
    assert Petition.objects.filter(search_vector=search.query("zebra")).exists()

    page = admin.get(f"/admin/petitions/petition/{petition.pk}/history/")
    assert page.status_code == 200
    words = text_of(page)
    assert "Signatures: None → 1234" in words
    assert f"Imported from {SEED}" in words and HAND in words
    assert "Grievance 1" in words and "A zebra crossing the border." in words
    assert "Former Ambassador to China" in words


def test_deleting_by_hand_is_recorded(admin, db):
    petition = PetitionFactory()
    GrievanceFactory.create_batch(2, petition=petition)
    saved = change(admin, petition, **{"grievances-1-DELETE": "on"})
    assert saved.status_code == 302, text_of(saved)
    [deleted] = Grievance.history.filter(history_type="-")
    assert (deleted.history_user.username, deleted.history_change_reason) == ("ada", HAND)

    # A petition itself is never deleted (it is withdrawn instead, see test_withdrawal).
    url = f"/admin/petitions/petition/{petition.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert Petition.objects.filter(pk=petition.pk).exists()
    assert not Petition.history.filter(history_type="-").exists()
    assert Grievance.history.filter(history_type="-").count() == 1


def test_responses_edited_in_their_own_admin_are_recorded(admin, db):
    run_import(SEED)
    response = Response.objects.get()
    url = f"/admin/responses/response/{response.pk}/change/"
    values = FormValues(admin.get(url).content.decode()).values
    values["sessional_paper"] = "8545-432-11"
    assert admin.post(url, values).status_code == 302
    record = response.history.first()
    assert (record.history_user.username, record.sessional_paper) == ("ada", "8545-432-11")
    assert admin.get(f"/admin/responses/response/{response.pk}/history/").status_code == 200


# Record history on the public page


def record_history(client, number="e-2835") -> str:
    words = text_of(client.get(f"/petitions/{number}/"))
    return words[words.index("Record history") :]


def test_a_new_record_shows_when_it_was_first_archived(client, db):
    run_import(SEED)
    today = timezone.localdate()
    shown = record_history(client)
    assert shown.startswith(
        f"Record history First archived on {today:%B} {today.day}, {today.year}."
    )
    assert "Corrected" not in shown


def test_corrections_name_the_public_fields_that_changed(admin, client, db, tmp_path):
    run_import(SEED)
    archived = backdate(days=40)
    run_import(
        edited_seed(
            tmp_path,
            ("two properties in Britain", "three properties in Britain"),
            ("Review and implement", "Review and enact"),
            ("Rob Oliphant", "Robert Oliphant"),
        )
    )
    change(admin, Petition.objects.get(), signatures="1234")
    today = timezone.localdate()
    shown = record_history(client)
    assert f"First archived on {archived:%B} {archived.day}, {archived.year}." in shown
    on = f"{today:%B} {today.day}, {today.year}"
    assert re.findall(r"Corrected on (\w+ \d+, \d+): ([\w ,]+)\.", shown) == [
        (on, "Grievances, Prayer items, Government responses"),  # the import
        (on, "Signatures"),  # the edit by hand, the same day
    ]


def test_changes_that_readers_do_not_see_are_not_listed(admin, client, db):
    run_import(SEED)
    backdate(days=10)
    petition = Petition.objects.get()
    assert change(admin, petition, page_language="fr").status_code == 302
    assert change(admin, petition).status_code == 302  # saved without a change: not recorded
    # The page's language is not compared (each language's page keeps its own texts), so the
    # page imported again is unchanged and the hand edit stays the last record.
    assert "e-2835 unchanged" in run_import(SEED)
    assert petition.history.count() == 2
    assert "Corrected" not in record_history(client)


def test_each_day_of_corrections_is_listed_in_order(client, db):
    petition = PetitionFactory(number="e-100")
    now = timezone.now()
    for days_ago, signatures in ((30, 10), (20, 20), (20, 25), (10, 30)):
        petition.signatures = signatures
        petition._history_date = now - timedelta(days=days_ago)
        petition.save()
    Petition.objects.update(created_at=now - timedelta(days=40))
    Petition.history.filter(history_type="+").update(history_date=now - timedelta(days=40))
    shown = record_history(client, "e-100")
    days = [timezone.localdate(now - timedelta(days=d)) for d in (30, 20, 10)]
    corrected = re.findall(r"Corrected on (\w+ \d+, \d+): Signatures\.", shown)
    assert corrected == [f"{d:%B} {d.day}, {d.year}" for d in days]


def test_record_history_takes_the_same_queries_however_long_it_is(client, db):
    short, long = PetitionFactory(number="e-1"), PetitionFactory(number="e-2")
    ResponseFactory(petition=short, position=1)
    ResponseFactory(petition=long, position=1)
    now = timezone.now()
    for days_ago in range(30, 0, -1):
        long.signatures = days_ago
        long._history_date = now - timedelta(days=days_ago)
        long.save()
        grievance = GrievanceFactory.build(
            petition=long, position=days_ago, text=f"Whereas {days_ago}"
        )
        grievance._history_date = long._history_date
        grievance.save()
    Petition.objects.update(created_at=now - timedelta(days=60))
    Petition.history.filter(history_type="+").update(history_date=now - timedelta(days=60))
    Response.history.update(history_date=now - timedelta(days=60))
    assert len(re.findall("Corrected on", record_history(client, "e-2"))) == 30
    assert count_queries(client, "/petitions/e-2/") == count_queries(client, "/petitions/e-1/")


# Hand entry


def add_form(admin) -> dict[str, str]:
    return FormValues(admin.get("/admin/petitions/petition/add/").content.decode()).values


def paper_petition(admin, topic, member, **edits) -> dict[str, str]:
    """The add form filled in for a paper petition with a grievance, a prayer item and a
    response."""
    values = add_form(admin)
    values.update(
        {
            "number": "441-01234",
            "kind": "paper",
            "topic": str(topic.pk),
            "addressee": "House of Commons",
            "prayer_text": "Therefore, your petitioners call upon the House of Commons to:",
            "presented_on": "2023-03-01",
            "presenter": str(member.pk),
            "sponsor": str(member.pk),
            "response_tabled_on": "2023-04-12",
            "grievances-TOTAL_FORMS": "1",
            "grievances-0-position": "1",
            "grievances-0-text": "Whereas the lighthouse keepers are gone;",
            "prayer_items-TOTAL_FORMS": "1",
            "prayer_items-0-position": "1",
            "prayer_items-0-text": "Bring back the lighthouse keepers.",
            "responses-TOTAL_FORMS": "1",
            "responses-0-position": "1",
            "responses-0-text": "The Coast Guard keeps the lights.",
            "responses-0-tabled_on": "2023-04-12",
            "responses-0-sessional_paper": "8545-441-123",
        }
    )
    values.update(edits)
    return values


@pytest.fixture
def topic_and_member():
    petition = PetitionFactory()
    return petition.topic, petition.sponsor


def test_a_paper_petition_typed_in_by_hand(admin, client, topic_and_member):
    saved = admin.post("/admin/petitions/petition/add/", paper_petition(admin, *topic_and_member))
    assert saved.status_code == 302, text_of(saved)
    petition = Petition.objects.for_detail().get(number="441-01234")
    assert (petition.presented_number, petition.parliament, petition.session) == (
        "441-01234",
        44,
        1,
    )
    assert [g.text for g in petition.grievances.all()] == [
        "Whereas the lighthouse keepers are gone;"
    ]
    assert petition.responses.get().sessional_paper == "8545-441-123"
    assert (petition.status, petition.response_days) == ("responded", 42)
    record = petition.history.get()
    assert (record.history_type, record.history_user.username) == ("+", "ada")
    assert Petition.objects.filter(search_vector=search.query("lighthouse")).count() == 1
    page = client.get("/petitions/441-01234/")
    assert "Bring back the lighthouse keepers." in text_of(page)
    assert "First archived on" in text_of(page)


def field_errors(page, name: str) -> str:
    """The error text shown beside one field of the admin form."""
    content = page.content.decode()
    found = re.search(
        rf'<div class="form-row[^"]*errors[^"]*field-{name}[ "].*?(?=<div class="form-row|</fieldset>)',
        content,
        re.S,
    )
    assert found, f"no error shown beside {name}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


@pytest.mark.parametrize(
    ("edits", "field", "message"),
    [
        ({"kind": "e-petition", "number": "2835"}, "number", "An e-petition's number is “e-” and digits, such as e-2835."),
        ({"number": "e-12"}, "number", "A paper petition's number is its presentation number"),
        ({"kind": "e-petition", "number": "e-12", "presented_number": "43-309"}, "presented_number", "A presentation number is three digits"),
        ({"presented_number": "441-09999"}, "presented_number", "A paper petition's presentation number is its number."),
        ({"parliament": "43", "session": "2"}, "parliament", "Presentation number 441-01234 is from the 44th Parliament, 1st session"),
        ({"kind": "e-petition", "number": "e-12", "opened_at_0": "2023-02-01", "opened_at_1": "12:00", "closed_at_0": "2023-01-01", "closed_at_1": "12:00"}, "closed_at", "“Closed for signature” is before “Open for signature”."),
        ({"response_tabled_on": "2023-02-01", "responses-0-tabled_on": "2023-02-01"}, "response_tabled_on", "“Government response tabled” is before the petition was presented."),
        ({"responses-0-tabled_on": ""}, "tabled_on", "A response needs the date it was tabled in the House."),
        ({"responses-0-tabled_on": "2023-02-01"}, "tabled_on", "The response is dated before the petition was presented."),
        ({"response_tabled_on": ""}, "tabled_on", "The petition has no “Government response tabled” date"),
        ({"responses-0-sessional_paper": "SP 11"}, "sessional_paper", "A sessional paper number reads like 8545-432-11"),
    ],
)  # fmt: skip
def test_hand_entry_applies_the_importers_rules(admin, topic_and_member, edits, field, message):
    before = Petition.objects.count()
    page = admin.post(
        "/admin/petitions/petition/add/", paper_petition(admin, *topic_and_member, **edits)
    )
    assert page.status_code == 200
    assert message in field_errors(page, field)
    assert Petition.objects.count() == before
    assert Petition.history.filter(number="441-01234").count() == 0


def test_a_response_edited_by_hand_refreshes_what_it_shares(admin, db):
    run_import(*SEEDS)
    first, other = Response.objects.exclude(text="").order_by("petition__number")[:2]
    shared = max(other.text.split("\n\n"), key=len)
    assert len(shared.split()) >= 8

    def digests(response):
        return set(response.fingerprints.values_list("digest", flat=True))

    assert not digests(first) & digests(other)
    url = f"/admin/responses/response/{first.pk}/change/"
    values = FormValues(admin.get(url).content.decode()).values
    values["text"] = first.text + "\n\n" + shared
    assert admin.post(url, values).status_code == 302
    assert len(digests(first) & digests(other)) == 1
