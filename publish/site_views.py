"""Pages about the archive itself: `/about/data/` (formats, licence, citation) and robots.txt."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from browse.listing import search_cap
from publish import downloads
from publish.exports import COLUMNS, JOINER, MAX_PER_PAGE, PER_PAGE

# Every key of a petition's JSON (`serialize.petition_json`), as a path: `a.b`, `list[].key`.
PETITION_KEYS = [
    ("number", _("The petition's number (e-2835, or 432-00309 for a paper petition).")),
    ("url", _("Its permanent page in the archive.")),
    ("official_urls", _("Its own pages on the House of Commons' site: {en, fr}.")),
    ("official_urls.en", _("The English page (ourcommons.ca), by the petition's number.")),
    ("official_urls.fr", _("The French page (noscommunes.ca), by the petition's number.")),
    ("kind", _("e-petition or paper.")),
    ("topic", _("The subject in the petition's heading: {name, slug}.")),
    ("topic.name", _("The topic as printed (“Foreign affairs”).")),
    ("topic.slug", _("The topic's slug, as in /topics/<slug>/ and ?topic=.")),
    ("initiator", _("The e-petition's initiator {name, city, province}, as typed by the public; "
     "null for a paper petition.")),
    ("initiator.name", _("The initiator's name.")),
    ("initiator.city", _("Their city, or null.")),
    ("initiator.province", _("Their province or territory as printed, or null.")),
    ("original_language", _("en or fr, or null when the page does not say.")),
    ("addressee", _("Whom the petition addresses, as printed; may be empty.")),
    ("summary", _("The petition in its own words: the request after the standard opening "
     "(“We, the undersigned … call upon … to:”), or else its first grievance; about 30 words.")),
    ("keywords", _("The index terms an older page lists under “Keywords”, in order and as "
     "printed (may be empty).")),
    ("grievances", _("The “whereas” points, in order (may be empty).")),
    ("prayer", _("The request: {text, items}.")),
    ("prayer.text", _("“We, the undersigned … call upon …”.")),
    ("prayer.items", _("Its numbered items, in order (may be empty).")),
    ("status", _("open, closed, presented, responded, not_certified, closed_dissolution or "
     "unanswered_dissolution; derived from the timeline and the House's calendar (presented, "
     "unanswered, and its Parliament since dissolved: unanswered_dissolution).")),
    ("presented_number", _("The presentation number (432-00309), or null if not presented.")),
    ("parliament", _("The Parliament (43), or null.")),
    ("session", _("The session of that Parliament (2), or null.")),
    ("signatures", _("Number of signatures, or null when unknown.")),
    ("timeline", _("The House's process: {opened_at, closed_at, presented_on, "
     "response_tabled_on}.")),
    ("timeline.opened_at", _("Opened for signature (ISO 8601 date-time with offset), or null.")),
    ("timeline.closed_at", _("Closed for signature (ISO 8601 date-time with offset), or null.")),
    ("timeline.presented_on", _("Presented to the House (ISO 8601 date), or null.")),
    ("timeline.response_tabled_on", _("The government response tabled (ISO 8601 date), or null.")),
    ("sponsor", _("The MP who sponsored the e-petition (for a paper petition, who presented it): "
     "{name, riding, caucus, province}, or null.")),
    ("sponsor.name", _("The MP's name.")),
    ("sponsor.riding", _("Their riding, or null.")),
    ("sponsor.caucus", _("Their caucus (party), or null.")),
    ("sponsor.province", _("Their province, or null.")),
    ("presenter", _("The MP who presented the petition in the House, same keys, or null.")),
    ("presenter.name", _("The MP's name.")),
    ("presenter.riding", _("Their riding, or null.")),
    ("presenter.caucus", _("Their caucus (party), or null.")),
    ("presenter.province", _("Their province, or null.")),
    ("responses", _("The government's responses, in order (may be empty).")),
    ("responses[].portfolio", _("The responding office as printed (“Minister of Foreign "
     "Affairs”), or null.")),
    ("responses[].signed_by", _("Who signed it, or null.")),
    ("responses[].tabled_on", _("When it was tabled (ISO 8601 date), or null.")),
    ("responses[].sessional_paper", _("Its sessional paper number, or null.")),
    ("responses[].text", _("Its text, paragraphs separated by a blank line; null when the House "
     "published none.")),
    ("responses[].paragraphs", _("The same text as a list of paragraphs (anchors "
     "#response-N-pM on the petition's page).")),
    ("response_days", _("Calendar days from presentation to the response, or null.")),
    ("response_deadline", _("The 45-day rule: {due_on, state, rule}.")),
    ("response_deadline.due_on", _("Presentation plus 45 days (ISO 8601 date), or null.")),
    ("response_deadline.state", _("on_time, late, overdue or pending, or null when not presented "
     "(or when its Parliament was dissolved within the 45 days). A petition left unanswered at "
     "dissolution stays overdue, counted up to the dissolution.")),
    ("response_deadline.rule", _("The rule, in words.")),
    ("source", _("Provenance of the record: {imported_at, content_hash}.")),
    ("source.imported_at", _("When the archive last imported the page (ISO 8601), or null.")),
    ("source.content_hash", _("SHA-256 of that page as imported, or null.")),
    ("source.language", _("The language of that page (en or fr): the page of the language "
     "shown, else the latest page of either.")),
    ("languages", _("The languages the record holds: [\"en\", \"fr\"], [\"en\"] or "
     "[\"fr\"].")),
    ("text_languages", _("The texts given in the other language, because the record holds them "
     "in that language only; empty when every text is in the language of the page.")),
    ("text_languages[].field", _("The key of that text (“prayer.text”, “responses.1.text”).")),
    ("text_languages[].language", _("The language it is given in (en or fr).")),
]  # fmt: skip

# The keys of `/petitions.json` around its items.
LIST_KEYS = [
    ("total", _("How many petitions the parameters select (all of them, not only this page).")),
    ("page", _("This page's number, from 1.")),
    ("per_page", format_lazy(_("Petitions per page: `per_page`, {per_page} unless given, at "
     "most {max_per_page}."), per_page=PER_PAGE, max_per_page=MAX_PER_PAGE)),
    ("pages", _("How many pages there are.")),
    ("sort", _("The order of the rows: relevance, newest, oldest, response_time or signatures.")),
    ("first", _("Link to the first page.")),
    ("previous", _("Link to the previous page, or null on the first.")),
    ("next", _("Link to the next page, or null on the last: follow it to walk every row.")),
    ("last", _("Link to the last page.")),
    ("csv", _("The same petitions as one CSV file.")),
    ("ignored", _("The parameters given that the list does not know, as name=value (a "
     "misspelling such as topc=…): they select nothing, and the rows are as without them.")),
    ("items", _("The petitions of this page, each exactly as its own JSON page "
     "(/petitions/<number>.json).")),
]  # fmt: skip


@require_safe
def about_data(request):
    context = {
        "columns": COLUMNS,
        "petition_keys": PETITION_KEYS,
        "list_keys": LIST_KEYS,
        "joiner": JOINER,
        "search_cap": search_cap(),
        "archive_url": request.build_absolute_uri(reverse("petitions:list")),
        "today": timezone.localdate(),
        "downloads": downloads.listed(),
    }
    return render(request, "about/data.html", context)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    return render(request, "robots.txt", {"sitemap": sitemap}, content_type="text/plain")
