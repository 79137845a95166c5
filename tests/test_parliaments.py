"""The House's calendar: the table of Parliaments and sessions, and what a dissolution ends."""

from datetime import date, timedelta
from itertools import groupby, pairwise
from pathlib import Path

import pytest
from django.utils import timezone

from importer.petitions import parse
from petitions import parliaments
from petitions.models import Deadline, Petition, Stage
from tests.conftest import FIXTURES, text_of
from tests.factories import PetitionFactory

# Every fixture petition page complete enough to parse (the other pairs are cut off earlier).
PAGES = [
    *sorted((FIXTURES / "seeds").glob("00[0-2]_*.txt")),
    *sorted((FIXTURES / "samples").glob("*.txt")),
    *sorted((FIXTURES / "variants").glob("*.txt")),
    FIXTURES / "html" / "e-2835.html",
    FIXTURES / "pairs" / "e-1961.en.txt",
    FIXTURES / "pairs" / "e-1961.fr.txt",
    # The other pairs are cut off (refused by the importer), so only complete pages are read.
]
# The session each page's opening date falls in (or the next to sit), read off the calendar.
OPENED_IN = {
    "e-2835": (43, 2),  # September 15, 2020: prorogued; the 2nd session sat September 23
    "e-2559": (43, 1),
    "e-4172": (44, 1),
    "e-123": (42, 1),
    "e-2672": (43, 1),
    "e-701": (42, 1),
    "e-4321": (43, 2),
    "e-3105": (43, 2),
    "e-1961": (42, 1),
}
DISSOLVED_43 = date(2021, 8, 15)


def session(parliament: int, number: int) -> parliaments.Session:
    [found] = [s for s in parliaments.SESSIONS if (s.parliament, s.session) == (parliament, number)]
    return found


def test_the_calendar_is_ordered_without_gaps_or_overlaps():
    sessions = parliaments.SESSIONS
    assert sessions[0].parliament == 35 and sessions[-1].ended_on is None
    assert all(s.ended_on for s in sessions[:-1])  # only the sitting session is open
    for earlier, later in pairwise(sessions):
        assert earlier.opened_on <= earlier.ended_on < later.opened_on
    numbers = [p for p, _ in groupby(s.parliament for s in sessions)]
    assert numbers == list(range(35, 46))
    for parliament, group in groupby(sessions, key=lambda s: s.parliament):
        group = list(group)
        assert [s.session for s in group] == list(range(1, len(group) + 1))
        assert [s.ended_by for s in group[:-1]] == ["prorogation"] * (len(group) - 1)
        dissolved = parliaments.dissolved_on(parliament)
        if parliament == 45:
            assert dissolved is None and group[-1].ended_by == ""
            continue
        assert group[-1].ended_on <= dissolved < session(parliament + 1, 1).opened_on
    assert set(parliaments.DISSOLVED_ON) == set(range(35, 45))


def test_the_dates_the_archive_is_sure_of():
    assert parliaments.dissolved_on(44) == date(2025, 3, 23)
    assert session(45, 1).opened_on == date(2025, 5, 26)
    # The 44th Parliament's only session was prorogued; the Parliament was dissolved later.
    assert (session(44, 1).ended_on, session(44, 1).ended_by) == (date(2025, 1, 6), "prorogation")
    assert (session(43, 2).ended_on, session(43, 2).ended_by) == (DISSOLVED_43, "dissolution")
    assert session(43, 1).ended_by == "prorogation"
    assert parliaments.session_on(date(2025, 2, 1)) == (45, 1)  # prorogued, then dissolved


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_fixture_pages_fall_in_their_sessions(page: Path):
    data = parse.parse_page(page.read_bytes())
    number = data.number if data.kind == "paper" else data.presented_number
    if data.presented_on and number:
        found = session(*parliaments.from_presentation_number(number))
        assert found.opened_on <= data.presented_on <= (found.ended_on or date.max)
    if data.opened_at:
        assert parliaments.session_on(data.opened_at.date()) == OPENED_IN[data.number]
    assert data.presented_on or data.opened_at


# What a dissolution ends ------------------------------------------------------------------


@pytest.mark.django_db
def test_431_00205_was_not_answered_before_dissolution(client, imported):
    petition = Petition.objects.get(number="431-00205")
    due = date(2020, 7, 4)
    assert petition.status == Stage.UNANSWERED_DISSOLUTION == "unanswered_dissolution"
    assert petition.deadline == Deadline.OVERDUE
    assert petition.days_overdue == (DISSOLVED_43 - due).days == 407  # the count stopped there
    assert petition not in Petition.objects.overdue()
    assert list(Petition.objects.with_status("unanswered_dissolution")) == [petition]
    assert client.get("/petitions/431-00205.json").json()["status"] == "unanswered_dissolution"

    text = text_of(client.get("/petitions/431-00205/"))
    assert "Not answered before dissolution Overdue at dissolution" in text  # the badges
    assert "August 15, 2021 Parliament dissolved" in text
    assert "407 days overdue at dissolution" in text
    assert f"{(timezone.localdate() - due).days} days" not in text
    listed = text_of(client.get("/petitions/?status=unanswered_dissolution"))
    assert "431-00205" in listed


@pytest.mark.django_db
def test_dissolved_within_the_45_days_is_never_overdue(client):
    petition = PetitionFactory(
        presented_on=date(1997, 4, 21), presented_number="352-00101", parliament=35, session=2
    )
    petition.refresh_from_db()
    assert petition.status == Stage.UNANSWERED_DISSOLUTION
    assert (petition.deadline, petition.days_overdue) == (None, None)
    assert [step.key for step in petition.timeline()][-2:] == ["presented", "dissolved"]
    text = text_of(client.get(petition.get_absolute_url()))
    assert "Parliament was dissolved on April 27, 1997, before the response was due" in text


@pytest.mark.django_db
def test_a_petition_of_the_sitting_parliament_is_still_overdue(client):
    waiting = PetitionFactory(presented_on=timezone.localdate() - timedelta(days=100))
    waiting.refresh_from_db()
    assert (waiting.parliament, waiting.status) == (45, "presented")
    assert (waiting.deadline, waiting.days_overdue) == (Deadline.OVERDUE, 55)
    assert list(Petition.objects.overdue()) == [waiting]
    assert "55 days overdue" in text_of(client.get(waiting.get_absolute_url()))
