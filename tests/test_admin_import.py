"""The admin's import page, driven as staff drive it: upload or paste → preview → confirm."""

import html
import re
import threading
import time

import pytest
from django.contrib.auth.models import Permission, User
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from importer.admin_import import SALT
from petitions.models import Grievance, Petition, PrayerItem, SourceRecord
from responses.models import Response
from tests.conftest import DOCUMENT_SEEDS, FIXTURES, SEEDS, run_import, text_of

IMPORT_URL = "/admin/petitions/petition/import/"
SEED = SEEDS[0]  # e-2835
NEWS, BRIEFING = DOCUMENT_SEEDS  # 003_3dfcbae0bf205fb3.txt, 004_ab71578f23a7ad66.txt

pytestmark = pytest.mark.django_db


def make_staff(username="alice", perms=("add_petition", "change_petition", "view_petition")):
    user = User.objects.create_user(username, is_staff=True)  # logged in without a password
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    return user


class Staff:
    """A staff member's browser: a CSRF-checking client, tokens taken from the pages."""

    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)

    def token(self, page=None) -> str:
        page = page if page is not None else self.client.get(IMPORT_URL)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    def preview(self, *files, text="", source="", kind=""):
        data = {"csrfmiddlewaretoken": self.token(), "text": text, "source": source, "kind": kind}
        if files:
            data["files"] = list(files)
        return self.client.post(IMPORT_URL, data)

    def confirm(self, preview):
        return self.client.post(
            IMPORT_URL, {"csrfmiddlewaretoken": self.token(preview), "payload": payload(preview)}
        )


def payload(page) -> str:
    found = re.search(r'name="payload" value="([^"]+)"', page.content.decode())
    assert found, "the preview offers no confirm button"
    return html.unescape(found[1])


def upload(path_or_name, content: bytes | None = None) -> SimpleUploadedFile:
    if content is None:
        return SimpleUploadedFile(path_or_name.name, path_or_name.read_bytes(), "text/plain")
    return SimpleUploadedFile(path_or_name, content, "text/plain")


def nothing_written():
    from documents.models import Document

    return (
        Petition.objects.count(),
        SourceRecord.objects.count(),
        Petition.history.count(),
        Grievance.history.count(),
        Document.objects.count(),
    ) == (0, 0, 0, 0, 0)


@pytest.fixture
def staff():
    return Staff(make_staff())


def edited_seed() -> bytes:
    text = SEED.read_text()
    assert "two properties in Britain" in text and "Review and implement" in text
    text = text.replace("two properties in Britain", "three properties in Britain")
    return text.replace("Review and implement", "Review and enact").encode()


def test_changelist_links_to_the_import_page(staff):
    page = staff.client.get("/admin/petitions/petition/")
    assert page.status_code == 200
    assert f'href="{IMPORT_URL}"' in page.content.decode()
    assert "Import petitions" in text_of(page)


def test_upload_preview_confirm_creates_the_petition(staff):
    form = staff.client.get(IMPORT_URL)
    assert form.status_code == 200 and 'type="file"' in form.content.decode()

    preview = staff.preview(upload(SEED))
    assert preview.status_code == 200
    words = text_of(preview)
    assert "Nothing has been written yet" in words
    assert f"{SEED.name}: New petition e-2835" in words
    assert "Preview: 1 new, 0 changed, 0 unchanged, 0 with errors." in words
    assert "Foreign affairs" in words and "Garnett Genuis" in words
    assert "Grievance 5" in words and "Prayer item 2" in words
    assert nothing_written()

    done = staff.confirm(preview)
    assert done.status_code == 200
    assert "Imported: 1 created, 0 updated, 0 unchanged, 0 failed." in text_of(done)
    assert 'href="/petitions/e-2835/"' in done.content.decode()
    petition = Petition.objects.get(number="e-2835")
    assert (petition.grievances.count(), petition.prayer_items.count()) == (5, 2)
    assert petition.responses.get().signer.name == "Rob Oliphant"
    source = petition.sources.get()
    assert (source.source, source.imported_by) == (SEED.name, "admin:alice")
    assert source.raw_text == SEED.read_text()
    record = petition.history.get()
    assert (record.history_type, record.history_user.username) == ("+", "alice")
    assert record.history_change_reason == f"Imported from {SEED.name}"
    assert {g.history_user.username for g in Grievance.history.all()} == {"alice"}
    assert staff.client.get("/petitions/e-2835/").status_code == 200
    assert staff.client.get("/petitions/?q=interference").status_code == 200
    assert Petition.objects.filter(search_vector__isnull=False).count() == 1


def test_pasted_text_imports_with_its_source(staff):
    preview = staff.preview(text=SEED.read_text(), source="https://www.ourcommons.ca/e-2835")
    assert "Pasted text: New petition e-2835" in text_of(preview)
    assert nothing_written()
    assert "1 created" in text_of(staff.confirm(preview))
    source = Petition.objects.get(number="e-2835").sources.get()
    assert source.source == "https://www.ourcommons.ca/e-2835"
    assert source.raw_text == SEED.read_text()


def test_html_page_imports_like_its_text(staff):
    preview = staff.preview(upload(FIXTURES / "html" / "e-2835.html"))
    assert "e-2835.html: New petition e-2835" in text_of(preview)
    staff.confirm(preview)
    assert Petition.objects.get(number="e-2835").grievances.count() == 5


def test_reimporting_an_edited_page_shows_the_diff_and_records_history(staff):
    run_import(SEED)
    preview = staff.preview(upload("e-2835-edited.txt", edited_seed()))
    page = preview.content.decode()
    assert "e-2835-edited.txt: Changed petition e-2835" in text_of(preview)
    assert "Preview: 0 new, 1 changed, 0 unchanged, 0 with errors." in text_of(preview)
    assert "Grievance 2" in page and "Prayer item 2" in page
    assert "<del>two</del>" in page and "<ins>three</ins>" in page
    assert "<del>implement</del>" in page and "<ins>enact</ins>" in page
    assert "Grievance 1" not in page  # unchanged parts are not listed
    assert Grievance.objects.filter(text__contains="three properties").count() == 0

    done = staff.confirm(preview)
    assert "Imported: 0 created, 1 updated, 0 unchanged, 0 failed." in text_of(done)
    petition = Petition.objects.get(number="e-2835")
    assert petition.sources.count() == 2
    changed = Grievance.history.filter(history_type="~").get()
    assert (changed.position, changed.history_user.username) == (2, "alice")
    assert changed.history_change_reason == "Imported from e-2835-edited.txt"
    before = changed.prev_record
    assert "two properties" in before.text and "three properties" in changed.text
    assert PrayerItem.history.filter(history_type="~").get().position == 2
    assert Grievance.history.filter(history_type="-").count() == 0  # rows kept, not replaced
    latest = petition.history.first()
    assert (latest.history_type, latest.history_user.username) == ("~", "alice")

    again = staff.preview(upload("e-2835-edited.txt", edited_seed()))
    assert "Changed petition" not in text_of(again)
    assert "e-2835-edited.txt: Unchanged e-2835" in text_of(again)
    assert "There is nothing to import." in text_of(again)


def bad_inputs():
    text = SEED.read_text()
    return {
        "empty file": (upload("empty.txt", b""), "Not readable as text: the file is empty."),
        "blank file": (upload("blank.txt", b" \n\r\n\t "), "the file is empty"),
        "picture": (
            upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
            "this is not a text file (it looks binary)",
        ),
        "wrong encoding": (
            upload("e-2835.txt", text[:1500].encode("utf-8") + b"\x81\x8d\x8f\x90\x9d" * 60),
            "the text is in an unknown encoding",
        ),
        "news article": (upload(NEWS), "This is a news article, not a petition page"),
        "briefing note": (upload(BRIEFING), "This is a briefing note, not a petition page"),
        "shopping list": (
            upload("list.txt", b"Shopping list\n\n- eggs\n- milk\n"),
            "Not a page the archive imports: this looks like neither a petition page",
        ),
        "cut-off page": (
            upload("cut.txt", text[: len(text) // 3].encode()),
            "the page seems cut off",
        ),
    }


@pytest.mark.parametrize("case", list(bad_inputs()))
def test_bad_input_is_explained_and_writes_nothing(staff, case):
    file, message = bad_inputs()[case]
    preview = staff.preview(file)
    assert preview.status_code == 200
    words = text_of(preview)
    assert f"{file.name}: Error" in words
    assert message in words
    assert "Preview: 0 new, 0 changed, 0 unchanged, 1 with errors." in words
    assert 'name="payload"' not in preview.content.decode()
    assert nothing_written()


def test_a_bad_file_leaves_the_rest_of_the_batch_to_import(staff, settings):
    settings.ARCHIVE_IMPORT_MAX_BYTES = SEEDS[1].stat().st_size
    files = [upload(SEED), upload(NEWS), upload("empty.txt", b""), upload(SEEDS[1])]
    preview = staff.preview(*files, text=SEEDS[2].read_text())
    words = text_of(preview)
    assert f"Too large: {SEED.stat().st_size / 1024:.1f} KB" in words
    assert "Preview: 2 new, 0 changed, 0 unchanged, 3 with errors." in words
    assert nothing_written()
    done = staff.confirm(preview)
    assert "Imported: 2 created, 0 updated, 0 unchanged, 3 failed." in text_of(done)
    assert set(Petition.objects.values_list("number", flat=True)) == {"e-2559", "e-4172"}


def test_upload_size_limit(staff, settings):
    settings.ARCHIVE_IMPORT_MAX_BYTES = 1000
    preview = staff.preview(upload(SEED))
    words = text_of(preview)
    assert "Too large:" in words and "pages of up to 1000 bytes; nothing was read." in words
    pasted = staff.preview(text=SEED.read_text())
    assert "Pasted text: Error Too large:" in text_of(pasted)
    assert nothing_written()


def test_too_many_files_are_refused_as_a_batch(staff, settings):
    settings.ARCHIVE_IMPORT_MAX_FILES = 2
    page = staff.preview(*(upload(p) for p in SEEDS))
    assert page.status_code == 400
    assert "An import takes at most 2 pages at a time and this one has 3" in text_of(page)
    assert nothing_written()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Choose one or more petition pages to upload, or paste a page's text."),
        ("  \n\t \n", "The pasted text is empty: paste a petition page's text or choose files."),
    ],
)
def test_empty_paste_is_refused(staff, text, message):
    page = staff.preview(text=text)
    assert page.status_code == 400
    assert message in text_of(page)
    assert nothing_written()


def test_the_same_petition_twice_in_one_batch(staff):
    preview = staff.preview(upload(SEED), upload("copy.txt", edited_seed()))
    words = text_of(preview)
    assert "This batch already has petition e-2835 (from 000_a8d79ecdfe984ecd.txt)" in words
    assert "Imported: 1 created, 0 updated, 0 unchanged, 1 failed." in text_of(
        staff.confirm(preview)
    )
    assert Petition.objects.count() == 1


def test_visitors_and_staff_without_permission_are_refused():
    run_import(SEED)
    anonymous = Client()
    assert anonymous.get(IMPORT_URL).status_code == 302
    assert anonymous.get(IMPORT_URL)["Location"].startswith("/admin/login/")
    assert anonymous.post(IMPORT_URL, {"text": SEED.read_text()}).status_code == 302

    not_staff = Client()
    not_staff.force_login(User.objects.create_user("bob"))
    assert not_staff.get(IMPORT_URL).status_code == 302

    viewer = Staff(make_staff("carol", perms=("view_petition",)))
    assert viewer.client.get(IMPORT_URL).status_code == 403
    assert viewer.client.post(IMPORT_URL, {"text": "x"}).status_code == 403
    assert IMPORT_URL not in viewer.client.get("/admin/petitions/petition/").content.decode()

    adder = Staff(make_staff("dave", perms=("add_petition", "view_petition")))
    preview = adder.preview(upload("e-2835.txt", edited_seed()))
    assert "The petition e-2835 exists and you may not change it." in text_of(preview)
    assert Petition.objects.get().sources.count() == 1


def test_csrf_is_enforced(staff):
    refused = staff.client.post(IMPORT_URL, {"text": SEED.read_text()})
    assert refused.status_code == 403
    preview = staff.preview(upload(SEED))
    no_token = staff.client.post(IMPORT_URL, {"payload": payload(preview)})
    assert no_token.status_code == 403
    assert nothing_written()


def test_an_altered_preview_is_refused(staff):
    preview = staff.preview(upload(SEED))
    token = payload(preview)
    data = signing.loads(token, salt=SALT)
    data["items"][0]["source"] = "somewhere-else.txt"
    forged = signing.dumps(data, salt="another salt")
    for bad in (token[:-3] + "abc", forged, "not a preview at all"):
        page = staff.client.post(
            IMPORT_URL, {"csrfmiddlewaretoken": staff.token(preview), "payload": bad}
        )
        assert page.status_code == 400
        assert "it was altered after it was made. Nothing was written" in text_of(page)
    assert nothing_written()


def test_an_old_preview_must_be_made_again(staff):
    preview = staff.preview(upload(SEED))
    data = signing.loads(payload(preview), salt=SALT)

    class TwoHoursAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 2 * 60 * 60)

    old = TwoHoursAgo(salt=SALT).sign_object(data)
    page = staff.client.post(IMPORT_URL, {"csrfmiddlewaretoken": staff.token(), "payload": old})
    assert page.status_code == 400
    assert "This preview is more than an hour old" in text_of(page)
    assert nothing_written()


def test_a_preview_is_confirmed_only_by_whoever_made_it(staff):
    preview = staff.preview(upload(SEED))
    other = Staff(make_staff("erin"))
    page = other.client.post(
        IMPORT_URL, {"csrfmiddlewaretoken": other.token(), "payload": payload(preview)}
    )
    assert page.status_code == 400
    assert "This preview was made by someone else" in text_of(page)
    assert nothing_written()


def test_a_petition_changed_since_the_preview_is_not_overwritten(staff, tmp_path):
    run_import(SEED)
    preview = staff.preview(upload("e-2835.txt", edited_seed()))
    other_edit = tmp_path / "e-2835.txt"
    other_edit.write_text(SEED.read_text().replace("Rob Oliphant", "Robert Oliphant"))
    run_import(other_edit)
    done = staff.confirm(preview)
    words = text_of(done)
    assert "The petition e-2835 changed in the archive since your preview" in words
    assert "Imported: 0 created, 0 updated, 0 unchanged, 1 failed." in words
    petition = Petition.objects.get()
    assert petition.responses.get().signer.name == "Robert Oliphant"
    assert not Grievance.objects.filter(text__contains="three properties").exists()
    assert petition.sources.count() == 2


def test_a_page_imported_by_someone_else_meanwhile_is_not_written_twice(staff):
    preview = staff.preview(upload(SEED))
    run_import(SEED)
    done = staff.confirm(preview)
    assert "Imported by someone else since your preview" in text_of(done)
    assert "Imported: 0 created, 0 updated, 1 unchanged, 0 failed." in text_of(done)
    assert (Petition.objects.count(), SourceRecord.objects.count()) == (1, 1)
    assert staff.confirm(preview).status_code == 200  # confirming twice writes nothing more
    assert (Petition.objects.count(), SourceRecord.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_the_same_petition_at_once_make_one_record():
    people = [Staff(make_staff("alice")), Staff(make_staff("bruno"))]
    previews = [person.preview(upload(SEED)) for person in people]
    assert all("New petition e-2835" in text_of(p) for p in previews)
    start, pages = threading.Barrier(2), [None, None]

    def confirm(i):
        try:
            start.wait()
            pages[i] = people[i].confirm(previews[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [page.status_code for page in pages] == [200, 200]
    results = sorted(text_of(page) for page in pages)
    assert sum("1 created" in words for words in results) == 1
    assert sum("Imported by someone else since your preview" in words for words in results) == 1
    assert (Petition.objects.count(), SourceRecord.objects.count()) == (1, 1)
    assert Response.objects.count() == 1 and Grievance.objects.count() == 5
    assert Petition.history.count() == 1


def test_imported_text_is_shown_as_text_in_the_preview(staff):
    text = SEED.read_text().replace(
        "Meng Wanzhou case;", "Meng Wanzhou case <script>alert(1)</script>;"
    )
    preview = staff.preview(upload("<b>page</b>.txt", text.encode()))
    content = preview.content.decode()
    assert "<script>alert(1)</script>" not in content and "<b>page</b>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    staff.confirm(preview)
    page = staff.client.get("/petitions/e-2835/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_batch_too_large_to_carry_to_confirmation_says_so(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100
    preview = staff.preview(upload(SEED))
    assert "These pages are too large to confirm in one go." in text_of(preview)
    assert 'name="payload"' not in preview.content.decode()
    assert nothing_written()


def test_context_documents_import_when_chosen(staff):
    from documents.models import Document, Kind

    preview = staff.preview(upload(NEWS), upload(BRIEFING), upload(SEED), kind="documents")
    words = text_of(preview)
    assert f"{NEWS.name}: New news article" in words
    assert f"{BRIEFING.name}: New briefing note" in words
    assert "This is a petition page, not a context document" in words
    assert nothing_written()
    done = staff.confirm(preview)
    assert "Imported: 2 created, 0 updated, 0 unchanged, 1 failed." in text_of(done)
    assert sorted(Document.objects.values_list("kind", flat=True)) == sorted(Kind.values)
    document = Document.objects.get(kind=Kind.BRIEFING_NOTE)
    assert document.get_absolute_url() in done.content.decode()
    assert Petition.objects.count() == 0
