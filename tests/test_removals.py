"""Imports never remove silently: a page that holds less than the stored record is refused,
unless removals are allowed (`--allow-removals`, or the admin's tick for that page), and the
history says so. Pages are the real seed and samples, edited as a cut-off or older copy would be."""

import re

import pytest
from django.test import Client

from petitions.models import Grievance, Petition, PrayerItem, SourceRecord
from responses.models import Response
from tests.conftest import FIXTURES, SEEDS, run_import, text_of
from tests.test_admin_import import Staff, make_staff, nothing_written, payload, upload

pytestmark = pytest.mark.django_db
SEED = SEEDS[0]  # e-2835, presented, responded
PAPER = FIXTURES / "samples" / "431-00205.txt"
PRESENTED = "Presented to the House of Commons\n"
PRESENTER = "Garnett Genuis (Sherwood Park—Fort Saskatchewan)\n"
PRESENTATION = PRESENTED + PRESENTER + "November 27, 2020 (Petition No. 432-00309)\n"
TABLED = "Government response tabled\nJanuary 25, 2021\n"
SPONSOR = "Photo - Garnett Genuis\nSherwood Park—Fort Saskatchewan\nConservative Caucus\n"


def without(text: str, part: str) -> str:
    assert text.count(part) == 1, f"the page has no single {part!r}"
    return text.replace(part, "")


def line_starting(text: str, start: str) -> str:
    [line] = [line for line in text.splitlines(keepends=True) if line.lstrip().startswith(start)]
    return line


def response_block(text: str) -> str:
    return text[text.index("Response by the Minister") : text.index("Open for signature")]


def cut_before_presentation(text: str) -> str:
    return text[: text.index(PRESENTED)]


# Each removal kind: the page it starts from, the edit, and the words that must name the loss.
KINDS = {
    "presentation": (
        SEED,
        lambda t: without(t, PRESENTATION),
        ["the presentation (November 27, 2020, 432-00309)", "the presenter (Garnett Genuis)"],
    ),
    "presenter": (
        SEED,
        lambda t: without(t, PRESENTED + PRESENTER).replace(
            "November 27, 2020 (Petition", PRESENTED + "November 27, 2020 (Petition"
        ),
        ["the presenter (Garnett Genuis)"],
    ),
    "sponsor": (SEED, lambda t: without(t, SPONSOR), ["the sponsor (Garnett Genuis)"]),
    "response": (
        SEED,
        lambda t: without(t, response_block(t)),
        ["the government response (Minister of Foreign Affairs)"],
    ),
    "grievance": (
        SEED,
        lambda t: without(t, line_starting(t, "• On June 9, 2020")),
        ["grievance 5 (On June 9, 2020, the Australian Strategic"],
    ),
    "prayer item": (
        SEED,
        lambda t: without(t, line_starting(t, "2. Review and implement")),
        ["prayer item 2 (Review and implement legislation"],
    ),
    "tabled date": (
        SEED,
        lambda t: without(t, TABLED),
        ["the date the government response was tabled (January 25, 2021)"],
    ),
    "prayer text": (
        PAPER,
        lambda t: without(t, line_starting(t, "Therefore, your petitioners")),
        ["the prayer text (Therefore, your petitioners call upon the Minister"],
    ),
    "cut off before the presentation": (
        SEED,
        cut_before_presentation,
        [
            "would remove: the presentation (November 27, 2020, 432-00309)",
            "the sponsor (Garnett Genuis)",
            "the presenter (Garnett Genuis)",
            "the date the government response was tabled (January 25, 2021)",
        ],
    ),
}


def record(number: str) -> tuple:
    """Everything stored of a petition: its JSON, its rows, its sources and its history."""
    petition = Petition.objects.get(number=number)
    parts = [
        list(model.objects.filter(petition=petition).order_by("position").values())
        for model in (Grievance, PrayerItem, Response)
    ]
    history = [
        model.history.filter(petition_id=petition.pk).count()
        for model in (Grievance, PrayerItem, Response)
    ]
    return (
        Client().get(f"/petitions/{number}.json").content,
        list(Petition.objects.filter(pk=petition.pk).values()),
        parts,
        list(petition.sources.values()),
        Petition.history.filter(id=petition.pk).count(),
        history,
    )


def edited(tmp_path, kind: str):
    """The stored petition's number and the edited page's path."""
    original, edit, words = KINDS[kind]
    run_import(original)
    page = tmp_path / f"{kind.replace(' ', '-')}.txt"
    page.write_text(edit(original.read_text()))
    number = "431-00205" if original == PAPER else "e-2835"
    return number, page, words


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_page_that_would_remove_is_refused_and_changes_nothing(tmp_path, kind, dry_run):
    number, page, words = edited(tmp_path, kind)
    before, sources = record(number), SourceRecord.objects.count()
    out = run_import(page, fails=True, dry_run=dry_run)
    line = next(line for line in out.splitlines() if line.startswith(f"{page}:"))
    assert "would remove: " in line and "nothing was written" in line
    for phrase in words:
        assert phrase in line
    assert "0 updated, 0 unchanged, 1 failed" in out
    assert record(number) == before
    assert SourceRecord.objects.count() == sources


@pytest.mark.parametrize("kind", list(KINDS))
def test_allow_removals_imports_it_and_the_history_says_so(tmp_path, kind):
    number, page, words = edited(tmp_path, kind)
    sources = SourceRecord.objects.count()
    out = run_import(page, allow_removals=True)
    assert f"{number} updated (" in out and "; removed: " in out
    assert words[-1].removeprefix("would remove: ") in out
    assert out.strip().endswith("0 created, 1 updated, 0 unchanged, 0 failed")
    petition = Petition.objects.get(number=number)
    assert SourceRecord.objects.count() == sources + 1
    assert petition.latest_source.source == str(page)
    first_import = petition.sources.earliest("imported_at").imported_at
    reasons = {
        r.history_change_reason
        for model in (Petition, Grievance, PrayerItem, Response)
        for r in model.history.filter(history_date__gt=first_import)
    }
    assert reasons == {f"Imported from {page} (removals allowed)"}
    assert run_import(page).strip().endswith("0 updated, 1 unchanged, 0 failed")


def test_a_dry_run_with_allow_removals_says_what_it_would_remove(tmp_path):
    number, page, _ = edited(tmp_path, "sponsor")
    before = record(number)
    out = run_import(page, allow_removals=True, dry_run=True)
    assert f"{number} updated (sponsor); would remove: the sponsor (Garnett Genuis)" in out
    assert out.strip().endswith(
        "dry run, nothing written: 0 created, 1 updated, 0 unchanged, 0 failed"
    )
    assert record(number) == before


def test_what_a_cut_page_removes_is_gone_only_when_allowed(tmp_path):
    number, page, _ = edited(tmp_path, "cut off before the presentation")
    run_import(page, fails=True)
    petition = Petition.objects.get(number=number)
    assert (petition.status, petition.presented_number) == ("responded", "432-00309")
    assert petition.sponsor.name == "Garnett Genuis"
    run_import(page, allow_removals=True)
    petition = Petition.objects.get(number=number)
    assert (petition.status, petition.presented_number, petition.sponsor) == ("closed", None, None)


def test_a_page_that_only_adds_needs_no_permission(tmp_path):
    page = tmp_path / "e-2835.txt"
    page.write_text(cut_before_presentation(SEED.read_text()))
    run_import(page)
    out = run_import(SEED)
    assert "e-2835 updated (" in out and "removed" not in out
    assert Petition.objects.get(number="e-2835").status == "responded"


def test_the_other_files_still_import(tmp_path):
    number, page, _ = edited(tmp_path, "sponsor")
    out = run_import(page, *SEEDS[1:], fails=True)
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in out
    assert Petition.objects.get(number=number).sponsor.name == "Garnett Genuis"


# Where a page came from: --source-url and the admin's "Source URL".

URL = "https://www.ourcommons.ca/petitions/en/Petition/Details?Petition=e-2835"


def test_source_url_is_stored_as_the_source():
    run_import(SEED, source_url=URL)
    assert Petition.objects.get(number="e-2835").latest_source.source == URL


@pytest.mark.parametrize(
    ("paths", "words"),
    [
        ((SEED, SEEDS[1]), "give a single file, not 2 files or folders"),
        ((FIXTURES / "samples",), "give a single file, not a folder"),
    ],
)
def test_source_url_is_refused_for_several_pages(paths, words):
    out = run_import(*paths, source_url=URL, fails=True)
    assert "--source-url names where one page came from" in out and words in out
    assert Petition.objects.count() == 0 and SourceRecord.objects.count() == 0


@pytest.mark.parametrize("url", ["www.ourcommons.ca/e-2835", "ftp://ourcommons.ca/x", "note"])
def test_source_url_must_be_a_web_address(url):
    out = run_import(SEED, source_url=url, fails=True)
    assert "is not a web address starting with http:// or https://" in out
    assert Petition.objects.count() == 0


@pytest.fixture
def staff():
    return Staff(make_staff())


def test_admin_url_field_stores_the_source_of_one_upload(staff):
    preview = staff.preview(upload(SEED), source=URL)
    assert "1 created" in text_of(staff.confirm(preview))
    assert Petition.objects.get(number="e-2835").latest_source.source == URL


def test_admin_url_goes_with_the_pasted_text_not_the_files(staff):
    preview = staff.preview(upload(SEEDS[1]), text=SEED.read_text(), source=URL)
    staff.confirm(preview)
    assert Petition.objects.get(number="e-2835").latest_source.source == URL
    other = Petition.objects.exclude(number="e-2835").get()
    assert other.latest_source.source == SEEDS[1].name


def test_admin_url_is_refused_with_several_files(staff):
    page = staff.preview(upload(SEED), upload(SEEDS[1]), source=URL)
    assert page.status_code == 400
    assert "A source URL says where one page came from, and you chose 2 files" in text_of(page)
    assert nothing_written()


def test_admin_url_must_be_a_web_address(staff):
    page = staff.preview(text=SEED.read_text(), source="from my inbox")
    assert page.status_code == 400
    assert "Enter the page's web address, starting with https://." in text_of(page)
    assert nothing_written()


# The admin: removals shown apart, written only with the tick for that page.


def cut_preview(staff, tmp_path):
    number, page, _ = edited(tmp_path, "cut off before the presentation")
    preview = staff.preview(upload(page), upload(SEEDS[1]))
    return number, preview


def tick(preview) -> str:
    [value] = re.findall(r'name="allow_removals" value="([0-9a-f]{64})"', preview.content.decode())
    return value


def test_admin_preview_shows_what_would_be_removed_apart(staff, tmp_path):
    _, preview = cut_preview(staff, tmp_path)
    content, words = preview.content.decode(), text_of(preview)
    assert 'class="import-removals"' in content
    block = content[content.index('class="import-removals"') :]
    assert "Would remove from the record" in block
    assert "the presentation (November 27, 2020, 432-00309)" in block
    assert "the sponsor (Garnett Genuis)" in block
    assert "Allow removals for e-2835" in words
    assert "Preview: 1 new, 1 changed, 0 unchanged, 0 with errors." in words
    assert content.count('name="allow_removals"') == 1  # the new page removes nothing
    assert 'form="import-confirm"' in content and 'id="import-confirm"' in content


def test_admin_confirm_without_the_tick_writes_nothing_for_that_page(staff, tmp_path):
    number, preview = cut_preview(staff, tmp_path)
    before = record(number)
    done = staff.confirm(preview)
    words = text_of(done)
    assert "Imported: 1 created, 0 updated, 0 unchanged, 1 failed." in words
    assert "removals were not allowed for it" in words
    assert "Allow removals for e-2835" in words
    assert Petition.objects.count() == 2  # the other page imported
    assert record(number) == before


def test_admin_confirm_with_the_tick_writes_and_records_it(staff, tmp_path):
    number, preview = cut_preview(staff, tmp_path)
    done = confirm_ticked(staff, preview, tick(preview))
    words = text_of(done)
    assert "Imported: 1 created, 1 updated, 0 unchanged, 0 failed." in words
    assert "Removed from the record" in words
    petition = Petition.objects.get(number=number)
    assert (petition.status, petition.sponsor, petition.presented_number) == ("closed", None, None)
    latest = petition.history.first()
    assert latest.history_user.username == "alice"
    assert latest.history_change_reason.endswith("(removals allowed)")


def confirm_ticked(staff, preview, value: str):
    return staff.client.post(
        "/admin/petitions/petition/import/",
        {
            "csrfmiddlewaretoken": staff.token(preview),
            "payload": payload(preview),
            "allow_removals": value,
        },
    )


def test_removals_not_previewed_cannot_be_confirmed(staff, tmp_path):
    """The preview showed a change only; the archive gained more meanwhile: nothing is removed."""
    cut = cut_before_presentation(SEED.read_text())
    run_import(upload_path(tmp_path, "cut.txt", cut))
    changed = cut.replace("two properties in Britain", "three properties in Britain")
    preview = staff.preview(upload("changed.txt", changed.encode()))
    assert "Changed petition e-2835" in text_of(preview)
    assert 'name="allow_removals"' not in preview.content.decode()
    run_import(SEED)  # the full page: presentation, sponsor, response tabled
    before = record("e-2835")
    item = signing_items(preview)[0]
    done = confirm_ticked(staff, preview, item["sha256"])  # a tick the preview never offered
    assert "changed in the archive since your preview" in text_of(done)
    assert "Imported: 0 created, 0 updated, 0 unchanged, 1 failed." in text_of(done)
    assert record("e-2835") == before


def upload_path(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def signing_items(preview) -> list[dict]:
    from django.core import signing

    from importer.admin_import import SALT

    return signing.loads(payload(preview), salt=SALT)["items"]
