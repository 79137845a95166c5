"""A list's rows, facets and search form are kept under what they show (`browse.fragments`):
after a change only what it changed is rendered again, and every page shows the change."""

import time
from datetime import timedelta

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils import timezone

from browse.fragments import ROW, row_key
from browse.views import facet_facts
from petitions.models import Member, Petition, Topic
from tests.conftest import text_of
from tests.test_http_caching import Rendered


def rows_rendered(client, path: str):
    with Rendered() as rendered:
        response = client.get(path)
    assert response.status_code == 200
    return response, rendered.names.count(ROW)


def test_each_row_is_rendered_once_then_read_from_the_cache(client, imported):
    first, rendered = rows_rendered(client, "/petitions/")
    shown = len(first.context["petitions"])
    assert shown > 5 and rendered == shown
    again, rendered = rows_rendered(client, "/petitions/")
    assert rendered == 0
    assert again.content == first.content


def test_a_change_renders_again_only_the_rows_it_changed(client, imported):
    first, _ = rows_rendered(client, "/petitions/")
    petitions = list(first.context["petitions"])
    sponsor = next(p.sponsor for p in petitions if p.sponsor)
    theirs = sum(p.sponsor_id == sponsor.pk for p in petitions)
    Member.objects.filter(pk=sponsor.pk).update(name="Renamed Sponsor")
    after, rendered = rows_rendered(client, "/petitions/")
    assert rendered == theirs
    assert text_of(after).count("Renamed Sponsor") == theirs
    assert sponsor.name not in text_of(after)


def test_a_topic_renamed_shows_in_every_row_and_facet(client, imported):
    client.get("/petitions/")
    topic = Topic.objects.get(slug="foreign-affairs")
    Topic.objects.filter(pk=topic.pk).update(name="World affairs")
    page = text_of(client.get("/petitions/"))
    assert "World affairs" in page and "Foreign affairs" not in page


def test_french_rows_are_kept_apart_from_english_ones(client, imported):
    english = text_of(client.get("/petitions/"))
    french = text_of(client.get("/fr/petitions/"))
    assert "Presented" in english and "Présentée le" not in english
    assert "Présentée le" in french and "Presented " not in french


def test_the_clock_closing_a_signing_period_is_in_the_row_key(imported):
    petition = Petition.objects.for_list().order_by("pk").first()
    petition.stage, petition.closed_at = "signing", timezone.now() + timedelta(seconds=1.2)
    assert petition.status == "open"
    open_now = row_key(petition)
    assert row_key(petition) == open_now
    time.sleep(1.3)  # the same values: the clock alone closes it
    assert petition.status == "closed" and row_key(petition) != open_now


def topic_counts(response) -> dict[str, int]:
    options = next(opts for _, name, opts in response.context["facets"] if name == "topic")
    return {str(option.label): option.count for option in options}


def test_facets_and_form_are_kept_and_follow_the_counts(client, imported):
    first = client.get("/petitions/?kind=paper")
    for name, key in [("list-facets", "facets_key"), ("list-form", "form_key")]:
        assert cache.get(make_template_fragment_key(name, [first.context[key]])) is not None
    paper = Petition.objects.public().filter(kind="paper").select_related("topic").first()
    other = Topic.objects.exclude(pk=paper.topic_id).order_by("pk").first()
    before = topic_counts(first)
    Petition.objects.filter(pk=paper.pk).update(topic=other)
    after = client.get("/petitions/?kind=paper")
    assert after.context["facets_key"] != first.context["facets_key"]
    counts = topic_counts(after)
    assert counts.get(paper.topic.name, 0) == before[paper.topic.name] - 1
    assert counts[other.name] == before.get(other.name, 0) + 1
    assert f"{other.name} {counts[other.name]}" in text_of(after)


def test_the_search_form_shows_each_request_own_values(client, imported):
    client.get("/petitions/?q=interference")
    page = client.get("/petitions/?q=climate&opened_from=2020-01-01").content.decode()
    assert 'value="climate"' in page and 'value="2020-01-01"' in page
    assert 'value="interference"' not in page


def test_every_list_page_keys_its_facets_and_form_on_what_they_show(client, imported):
    from petitions.models import Member
    from responses.models import Portfolio

    paths = [
        "/petitions/",
        "/petitions/?kind=paper",
        f"/topics/{Topic.objects.filter(petitions__isnull=False).first().slug}/",
        f"/ministers/{Portfolio.objects.filter(responses__isnull=False).first().slug}/",
        f"/members/{Member.objects.filter(sponsored_petitions__isnull=False).first().slug}/",
    ]
    shown = {}
    for path in paths:
        context = client.get(path).context
        assert context["facets_key"] and context["form_key"], path
        shown[path] = (repr(facet_facts(context["facets"])), context["facets_key"])
    # Two pages share a facets column's key exactly when they show the same column.
    pairs = set(shown.values())
    assert len(pairs) == len({facts for facts, _ in pairs}) == len({k for _, k in pairs}) >= 3
