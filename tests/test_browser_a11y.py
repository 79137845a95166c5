"""Every public page for every reader, in a real browser (Debian's Chromium and Playwright).

axe-core (vendored in tests/vendor/, see its README) checks each public page type at a desktop
width (1280 px) and a phone width (390 px) with all the rules it runs by default; a page must show
no sideways scrolling at 320 px; a keyboard reaches the results by the skip link and the ¶ links
of a petition by Tab; on a phone the first result comes before the filters. Screenshots are
saved in tests/artifacts/browser/ (a11y-*.png).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from petitions.models import Petition
from staff.withdrawal import withdraw
from tests.conftest import (
    DOCUMENT_SEEDS,
    PETITION_PAGES,
    TIMEOUT_MS,
    launched_browser,
    run_import,
    screenshot,
)

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}
NARROWEST = 320
WITHDRAWN = "e-123"
SEARCH = "/petitions/?q=foreign+interference&status=responded&sort=newest"

# Each public page type: its address and the status it answers with.
PAGES = {
    "home": ("/", 200),
    "list": ("/petitions/", 200),
    "search-and-filters": (SEARCH + "&topic=foreign-affairs", 200),
    "petition": ("/petitions/e-2835/", 200),
    "paper-petition": ("/petitions/431-00205/", 200),
    "topic": ("/topics/foreign-affairs/", 200),
    "minister": ("/ministers/minister-of-public-safety/", 200),
    "member": ("/members/garnett-genuis/", 200),
    "topics": ("/topics/", 200),
    "ministers": ("/ministers/", 200),
    "members": ("/members/", 200),
    "documents": ("/documents/", 200),
    "document": ("/documents/foreign-interference-2020-11-24/", 200),
    "stats": ("/stats/", 200),
    "about-data": ("/about/data/", 200),
    "400": ("/petitions/?opened_from=someday", 400),
    "404": ("/petitions/e-99999/", 404),
    "410-withdrawn": (f"/petitions/{WITHDRAWN}/", 410),
    "fr-home": ("/fr/", 200),
    "fr-search": ("/fr" + SEARCH, 200),
    "fr-petition": ("/fr/petitions/e-2835/", 200),
    "fr-document": ("/fr/documents/foreign-interference-2020-11-24/", 200),
    "fr-stats": ("/fr/stats/", 200),
    "fr-about-data": ("/fr/about/data/", 200),
    "fr-404": ("/fr/no-such-page/", 404),
    "fr-topics": ("/fr/topics/", 200),
}


@pytest.fixture(scope="module")
def shared_browser(chromium):
    """One browser for the whole module; each test opens its own tabs in fresh contexts."""
    with launched_browser(chromium) as browser:
        yield browser


@pytest.fixture
def archive(transactional_db):
    """The petitions, the context documents and one withdrawn petition, committed."""
    run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)
    withdraw(Petition.objects.get(number=WITHDRAWN), "Published by mistake.", None)


@pytest.fixture
def open_tab(archive, shared_browser, live_server):
    """open_tab(width) → a fresh tab that width wide. axe is injected as a script, which a
    Content-Security-Policy would refuse: these tabs bypass the page's policy."""
    contexts = []

    def open_tab(width: int) -> Page:
        context = shared_browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 844}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield open_tab
    for context in contexts:
        context.close()


def visit(page: Page, path: str, status: int = 200) -> Page:
    response = page.goto(path)
    assert response.status == status, f"{path}: {response.status}"
    return page


def axe_violations(page: Page) -> list[str]:
    """What axe finds wrong on the page, one line per rule, naming the elements at fault."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in result["violations"]
    ]


def too_wide(page: Page) -> list[str]:
    """The elements that stick out past the window's right edge (sideways scrolling)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(element => element.getBoundingClientRect().right > width + 0.5)
                .map(element => element.tagName.toLowerCase() + '.' + element.className
                    + ' ' + (element.textContent || '').trim().slice(0, 40));
        }"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_passes_axe_at_desktop_and_phone_widths(open_tab, name):
    path, status = PAGES[name]
    for label, width in WIDTHS.items():
        page = visit(open_tab(width), path, status)
        violations = axe_violations(page)
        screenshot(page, f"a11y-{name}-{label}")
        assert violations == [], f"{path} at {width} px:\n" + "\n".join(violations)
    page.set_viewport_size({"width": NARROWEST, "height": 700})
    assert too_wide(page) == [], f"{path} scrolls sideways at {NARROWEST} px"


def test_keyboard_skip_link_leads_to_the_results_then_the_first_result(open_tab):
    page = visit(open_tab(1280), SEARCH)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to results")
    expect(skip).to_be_in_viewport()
    assert skip.bounding_box()["width"] > 20, "the focused skip link is not shown"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    first = page.locator("#results a").first
    expect(first).to_be_focused()
    expect(first).to_have_attribute("href", re.compile(r"^/petitions/[\w-]+/$"))
    screenshot(page, "a11y-keyboard-first-result")


def test_keyboard_reaches_each_paragraph_link_of_a_petition(open_tab):
    page = visit(open_tab(1280), "/petitions/e-2835/")
    anchors = page.locator("a.anchor")
    assert anchors.count() >= 3
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('anchor')"):
            reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
            if len(reached) == 2:
                break
    assert reached == ["#grievance-1", "#grievance-2"], reached
    focused = page.locator(":focus")
    assert focused.evaluate("a => getComputedStyle(a).visibility") == "visible"
    assert focused.evaluate("a => getComputedStyle(a).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/petitions/e-2835/#grievance-2")
    screenshot(page, "a11y-keyboard-paragraph-link")


def test_paragraph_links_show_without_a_pointer_and_never_stand_on_a_line_alone(open_tab):
    for width in (390, 1280):
        page = visit(open_tab(width), "/petitions/e-2835/")
        paragraphs = page.locator("p:has(> a.anchor), li:has(> a.anchor)")
        assert paragraphs.count() >= 3
        lonely = paragraphs.evaluate_all(
            """items => items.filter(item => {
                const mark = item.querySelector(':scope > a.anchor');
                const text = item.firstChild;
                const range = document.createRange();
                range.selectNodeContents(text);
                const rects = [...range.getClientRects()];
                const last = rects[rects.length - 1];
                const own = mark.getBoundingClientRect();
                return getComputedStyle(mark).visibility !== 'visible'
                    || Math.abs(own.top - last.top) > own.height / 2;
            }).map(item => item.id)"""
        )
        assert lonely == [], f"¶ hidden or alone on its line at {width} px: {lonely}"
        page.locator(".response p").first.scroll_into_view_if_needed()
        screenshot(page, f"a11y-paragraph-links-{width}", full_page=False)


def test_on_a_phone_the_first_result_comes_before_the_filters_one_tap_away(open_tab):
    page = visit(open_tab(390), SEARCH)
    first = page.locator("#results a").first
    facets = page.locator("#filters")
    assert first.bounding_box()["y"] < facets.bounding_box()["y"]
    assert first.bounding_box()["y"] < 844, "the first result is not on the first screen"
    screenshot(page, "a11y-phone-results", full_page=False)
    page.get_by_role("link", name="Filters").click()
    page.wait_for_url("**#filters")
    expect(facets).to_be_in_viewport()
    screenshot(page, "a11y-phone-filters", full_page=False)


def test_search_landmarks_have_unique_names_and_placeholders_fit(open_tab):
    for path in ("/", "/fr/", SEARCH, "/petitions/e-99999/"):
        for width in (390, 1280):
            page = visit(open_tab(width), path, 404 if "99999" in path else 200)
            names = [
                search.evaluate(
                    "f => f.getAttribute('aria-label') || document.getElementById("
                    "f.getAttribute('aria-labelledby'))?.textContent || null"
                )
                for search in page.get_by_role("search").all()
            ]
            assert None not in names and len(set(names)) == len(names), (path, names)
            cut = page.locator("input[placeholder]").evaluate_all(
                """inputs => inputs.filter(input => {
                    const style = getComputedStyle(input);
                    const context = document.createElement('canvas').getContext('2d');
                    context.font = style.font;
                    const room = input.clientWidth - parseFloat(style.paddingLeft)
                        - parseFloat(style.paddingRight);
                    return context.measureText(input.placeholder).width > room;
                }).map(input => input.placeholder)"""
            )
            assert cut == [], f"{path} at {width} px cuts the placeholders {cut}"
