"""Staff import a page through the admin in a real browser (Debian's Chromium and Playwright):
log in, upload a seed page, see the preview, confirm, and open the petition's page."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from petitions.models import Petition
from tests.conftest import SEEDS, run_import, screenshot

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_member(transactional_db):
    """A committed staff account, so that the live server's thread sees it."""
    return User.objects.create_superuser("staff", "staff@example.org", PASSWORD)


def log_in(page, live_server):
    page.goto("/admin/petitions/petition/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/petitions/petition/")


def test_staff_upload_a_page_preview_confirm_and_see_the_petition(staff_member, page, live_server):
    log_in(page, live_server)
    screenshot(page, "admin-01-petitions")

    page.get_by_role("link", name="Import petitions").click()
    page.wait_for_url(f"{live_server.url}/admin/petitions/petition/import/")
    page.get_by_label("Pages to upload").set_input_files(str(SEEDS[0]))
    screenshot(page, "admin-02-upload")
    page.get_by_role("button", name="Preview").click()

    content = page.locator("#content-main")
    expect(content).to_contain_text("Nothing has been written yet")
    expect(content).to_contain_text(f"{SEEDS[0].name}: New petition e-2835")
    expect(content).to_contain_text("Garnett Genuis")
    screenshot(page, "admin-03-preview")
    assert not Petition.objects.exists()

    page.get_by_role("button", name=re.compile(r"^Confirm: import 1 page$")).click()
    expect(content).to_contain_text("Imported: 1 created, 0 updated, 0 unchanged, 0 failed.")
    screenshot(page, "admin-04-imported")
    assert Petition.objects.get().sources.get().imported_by == "admin:staff"

    page.get_by_role("link", name="See the petition's page").click()
    page.wait_for_url(f"{live_server.url}/petitions/e-2835/")
    expect(page.locator("h1")).to_contain_text("e-2835")
    expect(page.locator("article.petition")).to_contain_text("Reaffirm its commitment")
    expect(page.locator(".record-history")).to_contain_text("First archived on")
    screenshot(page, "admin-05-petition")


@pytest.fixture
def e_2835_archived(transactional_db, tmp_path):
    """The complete e-2835 committed, and its page cut off before the presentation."""
    run_import(SEEDS[0])
    text = SEEDS[0].read_text()
    cut = tmp_path / "e-2835-cut.txt"
    cut.write_text(text[: text.index("Presented to the House of Commons")])
    return cut


def preview_upload(page, path):
    page.goto("/admin/petitions/petition/import/")
    page.get_by_label("Pages to upload").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def test_staff_allow_removals_page_by_page(staff_member, e_2835_archived, page, live_server):
    log_in(page, live_server)
    preview_upload(page, e_2835_archived)
    removals = page.locator(".import-removals")
    expect(removals).to_contain_text("Would remove from the record")
    expect(removals).to_contain_text("the presentation (November 27, 2020, 432-00309)")
    screenshot(page, "admin-06-would-remove")
    page.get_by_role("button", name=re.compile(r"^Confirm: import 1 page$")).click()
    content = page.locator("#content-main")
    expect(content).to_contain_text("Imported: 0 created, 0 updated, 0 unchanged, 1 failed.")
    expect(content).to_contain_text("removals were not allowed for it")

    preview_upload(page, e_2835_archived)
    page.get_by_label("Allow removals for e-2835").check()
    page.get_by_role("button", name=re.compile(r"^Confirm: import 1 page$")).click()
    expect(content).to_contain_text("Imported: 0 created, 1 updated, 0 unchanged, 0 failed.")
    expect(page.locator(".import-removals")).to_contain_text("Removed from the record")
    screenshot(page, "admin-07-removed")
