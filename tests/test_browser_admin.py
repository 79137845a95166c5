"""Staff import a page through the admin in a real browser (Debian's Chromium and Playwright):
log in, upload a seed page, see the preview, confirm, and open the petition's page."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from petitions.models import Petition
from tests.conftest import SEEDS, screenshot

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_member(transactional_db):
    """A committed staff account, so that the live server's thread sees it."""
    return User.objects.create_superuser("staff", "staff@example.org", PASSWORD)


def test_staff_upload_a_page_preview_confirm_and_see_the_petition(staff_member, page, live_server):
    page.goto("/admin/petitions/petition/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/petitions/petition/")
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
