"""A person's journey through the archive in a real browser: Debian's Chromium and Playwright.

The pages are served by pytest-django's live server (a real HTTP server in a thread) from the
seed pages imported with the real command. Each page visited is saved as a full-page screenshot
in tests/artifacts/browser/.
"""

import re

from playwright.sync_api import expect

from tests.conftest import screenshot


def link_starting_with(scope, text: str):
    return scope.locator("a").filter(has_text=re.compile(rf"^\s*{re.escape(text)}"))


def test_search_filter_open_and_cite_a_prayer_item(committed_archive, page, live_server):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Petitions to the House")
    screenshot(page, "01-home")

    home_search = page.get_by_role("main").get_by_role("search")
    home_search.get_by_role("searchbox").press_sequentially("foreign interference")
    with page.expect_response(re.compile(r"/petitions/\?")) as results_page:
        home_search.get_by_role("button", name="Search").click()
    assert results_page.value.status == 200, (
        f"{results_page.value.url}: {results_page.value.status}"
    )
    page.wait_for_url(re.compile(r"/petitions/\?(.*&)?q=foreign(\+|%20)interference"))
    results = page.locator("ol.petition-list")
    expect(results.get_by_role("link", name="e-2835", exact=True)).to_be_visible()
    screenshot(page, "02-results")

    filters = page.locator('[aria-label="Filters"], .facets').first
    expect(filters, "the results page shows no filters (Filters or .facets)").to_be_visible()
    topic = link_starting_with(filters, "Foreign affairs").first
    expect(topic, "no filter link for the topic Foreign affairs").to_be_visible()
    topic.click()
    page.wait_for_url(re.compile(r"[?&]topic=foreign-affairs"))
    screenshot(page, "03-topic-filter")

    filters = page.locator('[aria-label="Filters"], .facets').first
    status = link_starting_with(filters, "Response tabled").first
    expect(status, "no filter link for the status Response tabled").to_be_visible()
    status.click()
    page.wait_for_url(re.compile(r"[?&]status=responded"))
    assert "topic=foreign-affairs" in page.url and "status=responded" in page.url, page.url
    screenshot(page, "04-status-filter")

    page.locator("ol.petition-list").get_by_role("link", name="e-2835", exact=True).click()
    page.wait_for_url(f"{live_server.url}/petitions/e-2835/")
    expect(page.locator("article.petition")).to_contain_text("Reaffirm its commitment")
    screenshot(page, "05-petition")

    # The ¶ link shows when the pointer is over its item, as for a person.
    page.locator("#prayer-1").hover()
    page.locator('a[href="#prayer-1"]').click()
    page.wait_for_url(re.compile(r"#prayer-1$"))
    assert page.url.endswith("/petitions/e-2835/#prayer-1"), page.url
    expect(page.locator("#prayer-1")).to_be_visible()
    expect(page.locator("#prayer-1")).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == "prayer-1"
    screenshot(page, "06-prayer-item")


def test_petition_page_has_no_script_errors_and_old_numbers_redirect(
    committed_archive, page, live_server
):
    errors = []

    def on_console(message):
        # Chromium asks for /favicon.ico by itself; the archive has none, and that is no page error.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({message.location['url']})")

    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", on_console)

    response = page.goto("/petitions/e-2835/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text("e-2835")
    page.wait_for_load_state("load")
    screenshot(page, "07-petition-page")
    assert errors == []

    response = page.goto("/petitions/432-00309/")
    assert response is not None and response.status == 200
    assert page.url == f"{live_server.url}/petitions/e-2835/"
    redirect = response.request.redirected_from
    assert redirect is not None and redirect.url == f"{live_server.url}/petitions/432-00309/"
    assert redirect.response().status == 301
    expect(page.locator("h1")).to_contain_text("e-2835")
    screenshot(page, "08-redirected")
    assert errors == []
