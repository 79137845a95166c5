"""Withdrawal: a petition or document leaves the public site (410 at its address), never the
archive; restored, it is back everywhere. Staff withdraw with a permission, and both acts are in
the record's history."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from browse.facets import archive_version
from documents.models import Document, PetitionLink
from petitions.models import Petition
from publish.stats import stats
from responses.models import ParagraphFingerprint
from staff.withdrawal import restore, withdraw
from tests.conftest import DOCUMENT_SEEDS, PETITION_PAGES, SEEDS, run_import, text_of
from tests.test_reuse import OWN, PLANTED, reuse_section, write_page

pytestmark = pytest.mark.django_db

NOTE_SLUG = "foreign-interference-2020-11-24"
REASON = "Imported twice by mistake; the record is kept under e-2559."


@pytest.fixture
def archive(db):
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def listed(client, path: str, params=None) -> str:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    return b"".join(response.streaming_content if response.streaming else [response.content])


def topic_count(client, slug: str) -> int:
    """The topic facet's count on the list page."""
    [topics] = [
        opts for _, name, opts in client.get("/petitions/").context["facets"] if name == "topic"
    ]
    return next((o.count for o in topics if o.value == slug), 0)


def appearances(client, petition: Petition) -> dict[str, bool]:
    """Where the public sees the petition: each list, search, export, feed and the sitemap."""
    link = f"/petitions/{petition.number}/".encode()
    numbers = [p["number"] for p in json.loads(listed(client, "/petitions.json"))["items"]]
    return {
        "home": link in listed(client, "/"),
        "list": link in listed(client, "/petitions/"),
        "search": link in listed(client, "/petitions/", {"q": "foreign interference"}),
        "topic": link in listed(client, f"/topics/{petition.topic.slug}/"),
        "member": link in listed(client, f"/members/{petition.sponsor.slug}/"),
        "csv": f"/petitions/{petition.number}/,".encode() in listed(client, "/petitions.csv"),
        "json": petition.number in numbers,
        "feed": link in listed(client, "/feeds/petitions/"),
        "responses feed": link in listed(client, "/feeds/responses/"),
        "sitemap": link in listed(client, "/sitemap-petitions.xml"),
    }


def test_a_withdrawn_petition_is_gone_from_every_public_place_until_restored(client, archive):
    petition = Petition.objects.get(number="e-2835")
    counted = stats.statistics().summary.responded, topic_count(client, petition.topic.slug)
    assert all(appearances(client, petition).values()), appearances(client, petition)

    withdraw(petition, REASON, None)
    assert not any(appearances(client, petition).values()), appearances(client, petition)
    assert stats.statistics().summary.responded == counted[0] - 1
    assert topic_count(client, petition.topic.slug) == counted[1] - 1
    assert client.get("/stats/").status_code == 200

    restore(petition, None)
    assert all(appearances(client, petition).values()), appearances(client, petition)
    assert (stats.statistics().summary.responded, topic_count(client, petition.topic.slug)) == (
        counted
    )
    assert client.get("/petitions/e-2835/").status_code == 200


def test_its_address_answers_410_with_the_date_and_reason(client, archive):
    petition = Petition.objects.get(number="e-2835")
    withdraw(petition, REASON, None)
    day = timezone.localdate(petition.withdrawn_at)
    for path in (
        "/petitions/e-2835/",
        "/petitions/E-2835/",
        f"/petitions/{petition.presented_number}/",
    ):
        page = client.get(path)
        assert page.status_code == 410, path
        words = text_of(page)
        assert "Petition e-2835 was withdrawn" in words
        assert f"{day:%-d %B %Y}" in words and REASON in words
    for path in ("/petitions/e-2835.json", f"/petitions/{petition.presented_number}.json"):
        answer = client.get(path)
        assert answer.status_code == 410, path
        assert answer.json() == {
            "number": "e-2835",
            "withdrawn_on": day.isoformat(),
            "reason": REASON,
        }


def test_the_archive_version_changes_on_withdrawal_and_restoration(archive):
    petition = Petition.objects.get(number="e-2835")
    before = archive_version()
    withdraw(petition, REASON, None)
    withdrawn = archive_version()
    restore(petition, None)
    assert len({before, withdrawn, archive_version()}) == 3


def test_it_leaves_other_petitions_reuse_lists(client, tmp_path):
    planted = write_page(tmp_path, "441-09001", paragraphs=[OWN[0], PLANTED, OWN[1]])
    run_import(SEEDS[0], planted)
    other = Petition.objects.get(number="441-09001")
    shared = 'href="/petitions/441-09001/#response-1-p2"'
    assert shared in reuse_section(client.get("/petitions/e-2835/").content.decode())

    withdraw(other, REASON, None)
    assert shared not in reuse_section(client.get("/petitions/e-2835/").content.decode())
    assert not ParagraphFingerprint.objects.filter(response__petition=other).exists()

    restore(other, None)
    assert shared in reuse_section(client.get("/petitions/e-2835/").content.decode())


def test_it_leaves_document_suggestions_and_links(client, archive):
    petition = Petition.objects.get(number="e-2835")
    PetitionLink.objects.create(document=Document.objects.get(slug=NOTE_SLUG), petition=petition)
    document_page = f"/documents/{NOTE_SLUG}/"
    assert 'href="/petitions/e-2559/"' in listed(client, document_page).decode()  # suggested
    assert 'href="/petitions/e-2835/"' in listed(client, document_page).decode()  # linked

    withdraw(Petition.objects.get(number="e-2559"), REASON, None)
    withdraw(petition, REASON, None)
    page = listed(client, document_page).decode()
    assert 'href="/petitions/e-2559/"' not in page and 'href="/petitions/e-2835/"' not in page


def test_reimporting_a_withdrawn_petition_keeps_it_withdrawn(client, tmp_path, db):
    run_import(SEEDS[0])
    petition = Petition.objects.get(number="e-2835")
    withdraw(petition, REASON, None)
    changed = tmp_path / "e-2835.txt"
    changed.write_text(
        SEEDS[0]
        .read_text("utf-8")
        .replace("Former Ambassador to China", "Former ambassador to China")
    )
    assert "e-2835 updated" in run_import(changed)
    petition.refresh_from_db()
    assert (petition.withdrawal_reason, petition.withdrawn_at is not None) == (REASON, True)
    assert petition.sources.count() == 2
    assert client.get("/petitions/e-2835/").status_code == 410
    assert b"/petitions/e-2835/" not in listed(client, "/petitions/")
    assert not ParagraphFingerprint.objects.filter(response__petition=petition).exists()


def test_a_withdrawn_document_is_gone_until_restored(client, archive):
    document = Document.objects.get(slug=NOTE_SLUG)
    link = f'href="/documents/{NOTE_SLUG}/"'

    def seen() -> dict[str, bool]:
        return {
            "list": link in listed(client, "/documents/").decode(),
            "search": link in listed(client, "/documents/", {"q": "interference"}).decode(),
            "petition search": link
            in listed(client, "/petitions/", {"q": "interference"}).decode(),
            "petition page": link in listed(client, "/petitions/e-2835/").decode(),
            "sitemap": f"/documents/{NOTE_SLUG}/"
            in listed(client, "/sitemap-documents.xml").decode(),
        }

    assert all(seen().values()), seen()
    withdraw(document, "Published by mistake.", None)
    assert not any(seen().values()), seen()
    page = client.get(f"/documents/{NOTE_SLUG}/")
    assert page.status_code == 410
    assert document.title in text_of(page) and "Published by mistake." in text_of(page)
    restore(document, None)
    assert all(seen().values()), seen()


# The admin -----------------------------------------------------------------------------------


def staff(*permissions: str) -> Client:
    user = User.objects.create_user("grace", "grace@example.org", None, is_staff=True)
    for name in permissions:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_the_permission_cannot_withdraw(archive):
    client = staff("petitions.change_petition", "documents.change_document")
    petition = Petition.objects.get(number="e-2835")
    document = Document.objects.get(slug=NOTE_SLUG)
    for change, base in (
        (
            f"/admin/petitions/petition/{petition.pk}/change/",
            f"/admin/petitions/petition/{petition.pk}/",
        ),
        (
            f"/admin/documents/document/{document.pk}/change/",
            f"/admin/documents/document/{document.pk}/",
        ),
    ):
        page = client.get(change)
        assert page.status_code == 200
        assert f'{base}withdraw/"' not in page.content.decode()
        assert "never deleted" in text_of(page)
        assert client.get(base + "withdraw/").status_code == 403
        assert client.post(base + "withdraw/", {"reason": REASON}).status_code == 403
    assert not Petition.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Document.objects.filter(withdrawn_at__isnull=False).exists()


def test_staff_with_the_permission_withdraw_and_restore_with_history(client, archive):
    admin = staff("petitions.change_petition", "petitions.withdraw_petition")
    petition = Petition.objects.get(number="e-2835")
    base = f"/admin/petitions/petition/{petition.pk}/"
    assert f'{base}withdraw/"' in admin.get(base + "change/").content.decode()

    refused = admin.post(base + "withdraw/", {"reason": "  "})
    assert refused.status_code == 200 and "This field is required" in text_of(refused)
    assert admin.post(base + "withdraw/", {"reason": REASON}).status_code == 302
    assert client.get("/petitions/e-2835/").status_code == 410
    withdrawn_list = admin.get("/admin/petitions/petition/", {"withdrawn_at__isempty": "0"})
    assert withdrawn_list.status_code == 200 and withdrawn_list.context["cl"].result_count == 1
    page = admin.get(base + "change/").content.decode()
    assert f'{base}restore/"' in page and REASON in page

    assert admin.post(base + "restore/").status_code == 302
    assert client.get("/petitions/e-2835/").status_code == 200
    withdrawn, restored = petition.history.order_by("history_date")[1:]
    assert (withdrawn.history_change_reason, withdrawn.history_user.username) == (
        f"Withdrawn: {REASON}",
        "grace",
    )
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawal_reason == REASON
    assert (restored.history_change_reason, restored.withdrawn_at) == ("Restored", None)
    assert "Withdrawn: " + REASON in text_of(admin.get(base + "history/"))


def test_documents_are_withdrawn_and_restored_in_the_admin_with_history(client, archive):
    admin = staff("documents.change_document", "documents.withdraw_document")
    document = Document.objects.get(slug=NOTE_SLUG)
    base = f"/admin/documents/document/{document.pk}/"
    assert admin.post(base + "withdraw/", {"reason": "Published by mistake."}).status_code == 302
    assert client.get(f"/documents/{NOTE_SLUG}/").status_code == 410
    assert admin.post(base + "restore/").status_code == 302
    assert client.get(f"/documents/{NOTE_SLUG}/").status_code == 200
    reasons = [h.history_change_reason for h in document.history.order_by("history_date")]
    assert reasons[-2:] == ["Withdrawn: Published by mistake.", "Restored"]
    assert "Withdrawn: Published by mistake." in text_of(admin.get(base + "history/"))


def test_nothing_is_deleted_in_the_admin(archive):
    superuser = Client()
    superuser.force_login(User.objects.create_superuser("ada", "ada@example.org", None))
    petition = Petition.objects.get(number="e-2835")
    document = Document.objects.get(slug=NOTE_SLUG)
    for url in (
        f"/admin/petitions/petition/{petition.pk}/delete/",
        f"/admin/documents/document/{document.pk}/delete/",
    ):
        assert superuser.post(url, {"post": "yes"}).status_code == 403
    assert Petition.objects.filter(pk=petition.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()
