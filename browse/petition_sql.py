"""A petition's public JSON and its CSV columns, computed by PostgreSQL for a whole selection.

The same values as `browse.serialize.petition_json` (texts in the language asked for, else in
the other language, named in `text_languages`; dates in ISO 8601; the status and the 45-day
deadline derived as `petitions.timeline` derives them), built in one query whatever the number
of rows, so that an export streams from the database instead of from Python objects. The tests
compare both, field by field, on every fixture page and in both languages.

`PetitionSql(language, base_url)` gives `json` (one JSON text per petition), `columns` (the
CSV's columns by name, as text) and `joined` (the petition `p` and what they read);
`each_selected(selection_sql, select)` wraps them around a selection.
"""

import functools
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from petitions import parliaments
from petitions.choices import OFFICIAL_URLS, RESPONSE_DEADLINE_DAYS, Deadline, Province, Stage
from petitions.i18n import other_language
from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, SourceRecord, Topic
from responses.models import Portfolio, Response, Signer

JOINER = " | "  # between the values of a multi-valued CSV column
# The characters Python's str.isspace() and the regular expression \s take for white space: a
# response's paragraphs are split and stripped as `Response.paragraphs_of` does.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# responses.models.BLANK_LINE with the white space around it
PARAGRAPH_BREAK = f"[{WHITE_SPACE}]*\n[{WHITE_SPACE}]*\n[{WHITE_SPACE}]*"


def lit(value) -> str:
    """A SQL literal. The query later goes through the driver's parameter formatting with the
    selection's parameters, so a percent sign is doubled."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, datetime):
        return f"TIMESTAMPTZ '{value.isoformat()}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def iso_datetime(expr: str) -> str:
    """datetime.isoformat() of a UTC timestamp: microseconds only when there are some."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN to_char({utc}, 'US') "
        f"<> '000000' THEN '.' || to_char({utc}, 'US') ELSE '' END || '+00:00')"
    )


def iso_local(expr: str) -> str:
    """datetime.isoformat() in the archive's time zone, with its offset ("...T15:23:00-04:00")."""
    local = f"({expr} AT TIME ZONE {lit(settings.TIME_ZONE)})"
    seconds = f"extract(epoch FROM {local} - ({expr} AT TIME ZONE 'UTC'))::int"
    return (
        f"(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN to_char({local}, 'US') "
        f"<> '000000' THEN '.' || to_char({local}, 'US') ELSE '' END "
        f"|| CASE WHEN {seconds} < 0 THEN '-' ELSE '+' END || to_char(abs({seconds}) / 3600, "
        f"'FM00') || ':' || to_char(mod(abs({seconds}), 3600) / 60, 'FM00'))"
    )


def iso_date(expr: str) -> str:
    return f"to_char({expr}, 'YYYY-MM-DD')"


def choice_label(expr: str, choices) -> str:
    """A choice's label in the active language (the stored value when it is not a choice)."""
    whens = " ".join(f"WHEN {lit(value)} THEN {lit(str(label))}" for value, label in choices)
    return f"(CASE {expr} {whens} ELSE {expr} END)"


def fallback(field: str, lang: str) -> str:
    """An entry of `text_languages`, as JSON text."""
    return f"json_build_object('field', {field}, 'language', {lit(lang)})::text"


# The moment of the query, in a statement built once a day (`built`) and run many times.
NOW = "/*now*/"
# A stored JSON's status and deadline state, put in when it is read (browse.stored_json).
STORED_VALUE = "'?'"


class PetitionSql:
    """Every part, built at once. `stored=True` builds the JSON as `browse.stored_json` keeps
    it: the `url` without the site's address, and `STORED_VALUE` for the status and the
    deadline's state, which the clock changes."""

    def __init__(self, language: str, base_url: str, today: date | None = None, stored=False):
        self.lang, self.other = language, other_language(language)
        self.stored = stored
        with translation.override(language):
            self.detail_url = base_url + reverse("petitions:detail", args=["e-1"])
            self.rule = gettext(
                "The government has 45 calendar days from presentation to table a response "
                "(Standing Order 36(8)(a))."
            )
            self.provinces = [(value, str(label)) for value, label in Province.choices]
        self.today = today or timezone.localdate()
        self.fallbacks: list[str] = []  # text_languages, in petition_json's order
        self.build()

    def texts_of(self, table: str, en: str) -> tuple[str, str]:
        """The text of the language asked for and the other's, NULL when blank."""
        fr = f"{en}_fr"
        mine, theirs = (fr, en) if self.lang == "fr" else (en, fr)
        return f"NULLIF({table}.{mine}, '')", f"NULLIF({table}.{theirs}, '')"

    def mark(self, field: str, table: str, en: str, when: str = "TRUE") -> str:
        """A `text_languages` entry (JSON text) when the text is the other language's."""
        mine, theirs = self.texts_of(table, en)
        return (
            f"CASE WHEN {when} AND {mine} IS NULL AND {theirs} IS NOT NULL "
            f"THEN {fallback(field, self.other)} END"
        )

    def pick(self, table: str, en: str, field: str | None = None, when: str = "TRUE") -> str:
        """i18n.pick: the text in the language asked for, else the other's, else ""; a
        fallback is noted as `field` (when `when` holds)."""
        if field:
            self.fallbacks.append(self.mark(lit(field), table, en, when))
        return "COALESCE({}, {}, '')".format(*self.texts_of(table, en))

    def rows(self, alias: str, field: str) -> str:
        """i18n.pick_rows over a lateral aggregate `alias` (arrays en, fr of non-blank texts)."""
        mine, theirs = f"{alias}.{self.lang}", f"{alias}.{self.other}"
        self.fallbacks.append(
            f"CASE WHEN {mine} IS NULL AND {theirs} IS NOT NULL "
            f"THEN {fallback(lit(field), self.other)} END"
        )
        return f"COALESCE({mine}, {theirs})"

    # The parts ----------------------------------------------------------------------------

    def url(self) -> str:
        before, after = self.detail_url.split("e-1", 1)
        return f"({lit(before)} || p.number || {lit(after)})"

    def official_url(self, language: str) -> str:
        before, after = OFFICIAL_URLS[language].split("{}", 1)
        return f"({lit(before)} || p.number || {lit(after)})"

    def status(self) -> str:
        return (
            f"(CASE WHEN p.stage <> {lit(Stage.SIGNING.value)} THEN p.stage "
            f"WHEN p.closed_at > {NOW} THEN 'open' ELSE 'closed' END)"
        )

    def deadline(self) -> str:
        dissolved = " ".join(
            f"WHEN {n} THEN {lit(day)}" for n, day in parliaments.DISSOLVED_ON.items()
        )
        ended = ", ".join(
            lit(s.value) for s in (Stage.UNANSWERED_DISSOLUTION, Stage.CLOSED_DISSOLUTION)
        )
        awaited = (
            f"(CASE WHEN p.stage = {lit(Stage.PRESENTED.value)} THEN {lit(self.today)} "
            f"WHEN p.stage IN ({ended}) THEN (CASE p.parliament {dissolved} END) END)"
        )
        days = RESPONSE_DEADLINE_DAYS
        return (
            "(CASE WHEN p.presented_on IS NULL THEN NULL "
            f"WHEN p.response_tabled_on IS NOT NULL THEN CASE WHEN p.response_days <= {days} "
            f"THEN {lit(Deadline.ON_TIME.value)} ELSE {lit(Deadline.LATE.value)} END "
            f"WHEN {awaited} IS NULL THEN NULL "
            f"WHEN {awaited} > p.presented_on + {days} THEN {lit(Deadline.OVERDUE.value)} "
            f"WHEN p.stage = {lit(Stage.PRESENTED.value)} THEN {lit(Deadline.PENDING.value)} END)"
        )

    def member(self, alias: str, caucus: str, role: str) -> dict[str, str]:
        present = f"{alias}.id IS NOT NULL"
        has_caucus = f"{alias}.caucus_id IS NOT NULL"
        riding = self.pick(alias, "riding", f"{role}.riding", present)
        caucus_name = self.pick(caucus, "name", f"{role}.caucus", has_caucus)
        return {
            "present": present,
            "name": f"{alias}.name",
            "riding": f"NULLIF({riding}, '')",
            "caucus": f"CASE WHEN {has_caucus} THEN {caucus_name} END",
            "province": f"NULLIF({choice_label(f'{alias}.province', self.provinces)}, '')",
        }

    def languages(self) -> str:
        held = (
            "array_remove(ARRAY[CASE WHEN p.source_en_id IS NOT NULL THEN 'en' END, "
            "CASE WHEN p.source_fr_id IS NOT NULL THEN 'fr' END], NULL)"
        )
        texts = (
            "array_remove(ARRAY[CASE WHEN COALESCE(NULLIF(p.prayer_text, ''), "
            "NULLIF(p.addressee, '')) IS NOT NULL THEN 'en' END, CASE WHEN COALESCE("
            "NULLIF(p.prayer_text_fr, ''), NULLIF(p.addressee_fr, '')) IS NOT NULL THEN 'fr' END"
            "], NULL)"
        )
        return (
            f"to_json(COALESCE(NULLIF({held}, '{{}}'), NULLIF({texts}, '{{}}'), "
            "ARRAY[p.page_language]::text[]))"
        )

    def responses(self) -> str:
        """The lateral aggregate of a petition's responses, in order: their JSON, their
        `text_languages` entries and the CSV's joined columns."""
        portfolio = f"CASE WHEN r.portfolio_id IS NOT NULL THEN {self.pick('po', 'name')} END"
        text = self.pick("r", "text")
        marks = [
            self.mark(
                "'responses.' || r.n || '.portfolio'", "po", "name", "r.portfolio_id IS NOT NULL"
            ),
            self.mark("'responses.' || r.n || '.text'", "r", "text"),
        ]
        # Split at each run of white space holding two line breaks, the run consumed whole, so
        # that each part comes out stripped, as Python splits at BLANK_LINE and strips.
        trimmed = f"btrim({text}, {lit(WHITE_SPACE)})"
        paragraphs = (
            f"to_json(array_remove(regexp_split_to_array({trimmed}, {lit(PARAGRAPH_BREAK)}), ''))"
        )
        item = (
            f"json_build_object('portfolio', {portfolio}, 'signed_by', sg.name, "
            f"'tabled_on', {iso_date('r.tabled_on')}, 'sessional_paper', "
            f"NULLIF(r.sessional_paper, ''), 'text', NULLIF({text}, ''), "
            f"'paragraphs', {paragraphs})"
        )

        paper = "NULLIF(r.sessional_paper, '')"

        def joined(expr: str) -> str:
            return f"string_agg(COALESCE({expr}, ''), {lit(JOINER)} ORDER BY r.position)"

        return (
            f"LEFT JOIN LATERAL (SELECT count(*) AS n, "
            f"COALESCE(json_agg({item} ORDER BY r.position), '[]'::json) AS items, "
            f"string_agg(NULLIF(concat_ws(',', {', '.join(marks)}), ''), ',' "
            "ORDER BY r.position) AS marks, "
            f"{joined(portfolio)} AS portfolios, {joined('sg.name')} AS signers, "
            f"{joined(iso_date('r.tabled_on'))} AS dates, "
            f"{joined(paper)} AS papers, "
            f"{joined(text)} AS texts "
            f"FROM (SELECT *, row_number() OVER (ORDER BY position) AS n FROM "
            f"{Response._meta.db_table} WHERE petition_id = p.id) r "
            f"LEFT JOIN {Portfolio._meta.db_table} po ON po.id = r.portfolio_id "
            f"LEFT JOIN {Signer._meta.db_table} sg ON sg.id = r.signer_id) rs ON TRUE"
        )

    # The query --------------------------------------------------------------------------

    def build(self) -> None:
        """Every part, in the order petition_json notes its `text_languages`."""
        province = self.pick("p", "initiator_province_text", "initiator.province",
                             "p.initiator_name <> ''")  # fmt: skip
        has_initiator = "p.initiator_name <> ''"
        topic = self.pick("t", "name", "topic")
        slug = "COALESCE(NULLIF(t.slug_fr, ''), t.slug)" if self.lang == "fr" else "t.slug"
        addressee = self.pick("p", "addressee", "addressee")
        summary = self.pick("p", "summary", "summary")  # stored by every write (petitions.summary)
        grievances = self.rows("g", "grievances")
        prayer_text = self.pick("p", "prayer_text", "prayer.text")
        prayer_items = self.rows("pi", "prayer.items")
        sponsor = self.member("sm", "sc", "sponsor")
        presenter = self.member("pm", "pc", "presenter")
        self.responses_join = self.responses()
        initiator = {
            "name": f"CASE WHEN {has_initiator} THEN p.initiator_name END",
            "city": f"CASE WHEN {has_initiator} THEN NULLIF(p.initiator_city, '') END",
            "province": f"CASE WHEN {has_initiator} THEN NULLIF({province}, '') END",
        }
        deadline, due_on = self.deadline(), iso_date(f"p.presented_on + {RESPONSE_DEADLINE_DAYS}")
        dates = {
            "opened_at": iso_datetime("p.opened_at"),
            "closed_at": iso_datetime("p.closed_at"),
            "presented_on": iso_date("p.presented_on"),
            "response_tabled_on": iso_date("p.response_tabled_on"),
        }
        source = {
            "imported_at": iso_datetime("src.imported_at"),
            "content_hash": "src.content_hash",
            "language": "src.language",
        }
        text_languages = f"('[' || concat_ws(',', {', '.join(self.fallbacks)}, rs.marks) || ']')"
        self.json = obj(
            number="p.number",
            url=self.url(),
            official_urls=obj(en=self.official_url("en"), fr=self.official_url("fr")),
            kind="p.kind",
            topic=obj(name=topic, slug=slug),
            initiator=f"CASE WHEN {has_initiator} THEN {obj(**initiator)} END",
            original_language="NULLIF(p.original_language, '')",
            addressee=addressee,
            summary=summary,
            keywords="to_json(p.keywords)",
            grievances=f"COALESCE(to_json({grievances}), '[]'::json)",
            prayer=obj(text=prayer_text, items=f"COALESCE(to_json({prayer_items}), '[]'::json)"),
            status=STORED_VALUE if self.stored else self.status(),
            presented_number="p.presented_number",
            parliament="p.parliament",
            session="p.session",
            signatures="p.signatures",
            timeline=obj(**dates),
            sponsor=member_obj(sponsor),
            presenter=member_obj(presenter),
            responses="rs.items",
            response_days="p.response_days",
            response_deadline=obj(
                due_on=due_on, state=STORED_VALUE if self.stored else deadline, rule=lit(self.rule)
            ),
            source=obj(**source),
            languages=self.languages(),
            text_languages=f"{text_languages}::json",
        )
        self.columns = {
            "number": "p.number",
            "url": self.url(),
            "official_url_en": self.official_url("en"),
            "official_url_fr": self.official_url("fr"),
            "kind": "p.kind",
            "status": self.status(),
            "topic": topic,
            "topic_slug": slug,
            "presented_number": "p.presented_number",
            "parliament": "p.parliament::text",
            "session": "p.session::text",
            "original_language": "p.original_language",
            "addressee": addressee,
            "initiator_name": initiator["name"],
            "initiator_city": initiator["city"],
            "initiator_province": initiator["province"],
            "signatures": "p.signatures::text",
            **dates,
            "opened_at": iso_local("p.opened_at"),  # the CSV gives times as the pages do: local
            "closed_at": iso_local("p.closed_at"),
            "response_days": "p.response_days::text",
            "response_due_on": due_on,
            "response_deadline": deadline,
            **{f"sponsor_{k}": v for k, v in sponsor.items() if k != "present"},
            **{f"presenter_{k}": v for k, v in presenter.items() if k != "present"},
            "keywords": f"array_to_string(p.keywords, {lit(JOINER)})",
            "grievances": f"array_to_string({grievances}, {lit(JOINER)})",
            "prayer_text": prayer_text,
            "prayer_items": f"array_to_string({prayer_items}, {lit(JOINER)})",
            "response_count": "rs.n::text",
            "response_portfolios": "rs.portfolios",
            "response_signers": "rs.signers",
            "response_dates": "rs.dates",
            "response_sessional_papers": "rs.papers",
            "response_texts": "rs.texts",
            "source_imported_at": iso_local("src.imported_at"),
            "source_content_hash": source["content_hash"],
        }
        self.joined = self.joins()

    def joins(self) -> str:
        """A petition `p` and what it shows."""
        lang_source = f"p.source_{self.lang}_id"
        return (
            f"{Petition._meta.db_table} p "
            f"JOIN {Topic._meta.db_table} t ON t.id = p.topic_id "
            f"LEFT JOIN {Member._meta.db_table} sm ON sm.id = p.sponsor_id "
            f"LEFT JOIN {Caucus._meta.db_table} sc ON sc.id = sm.caucus_id "
            f"LEFT JOIN {Member._meta.db_table} pm ON pm.id = p.presenter_id "
            f"LEFT JOIN {Caucus._meta.db_table} pc ON pc.id = pm.caucus_id "
            f"LEFT JOIN {SourceRecord._meta.db_table} ls ON ls.id = p.latest_source_id "
            f"LEFT JOIN {SourceRecord._meta.db_table} src ON src.id = CASE WHEN ls.language = "
            f"{lit(self.lang)} THEN p.latest_source_id ELSE COALESCE({lang_source}, "
            "p.latest_source_id) END "
            f"{texts_join(Grievance._meta.db_table, 'g')} "
            f"{texts_join(PrayerItem._meta.db_table, 'pi')} "
            f"{self.responses_join}"
        )


def obj(**parts: str) -> str:
    """json_build_object of the parts, in order (JSON keeps the keys' order)."""
    return "json_build_object(" + ", ".join(f"{lit(k)}, {v}" for k, v in parts.items()) + ")"


def member_obj(member: dict[str, str]) -> str:
    fields = {k: v for k, v in member.items() if k != "present"}
    return f"CASE WHEN {member['present']} THEN {obj(**fields)} END"


def texts_join(table: str, alias: str) -> str:
    """A petition's numbered rows (grievances, prayer items): arrays of their non-blank English
    and French texts, in order (NULL when there is none)."""
    return (
        f"LEFT JOIN LATERAL (SELECT array_agg(x.text ORDER BY x.position) FILTER "
        f"(WHERE x.text <> '') AS en, array_agg(x.text_fr ORDER BY x.position) FILTER "
        f"(WHERE x.text_fr <> '') AS fr FROM {table} x WHERE x.petition_id = p.id) {alias} ON TRUE"
    )


def each_selected(selection_sql: str, select: str) -> str:
    """`select` (reading the petition `p`) for each selected petition, in the selection's order.

    The selection is numbered (`ord`) and ordered first, then each petition's row is computed
    in a lateral subquery: PostgreSQL keeps the order as it goes, with no sort of the wide rows
    at the end, so the first rows come at once and memory stays flat."""
    numbered = f"SELECT s.id, row_number() OVER () AS ord FROM ({selection_sql}) s"
    return (
        f"SELECT sel.ord, x.* FROM (SELECT * FROM ({numbered}) n ORDER BY ord) sel "
        f"CROSS JOIN LATERAL ({select} WHERE p.id = sel.id OFFSET 0) x ORDER BY sel.ord"
    )


@functools.lru_cache(maxsize=16)
def built(language: str, base_url: str, today: date) -> PetitionSql:
    """The parts for a language, a site and a day: building them takes milliseconds of Python,
    so a process builds them once and the statements differ only in the moment (`NOW`)."""
    return PetitionSql(language, base_url, today)


def at_now(statement: str) -> str:
    return statement.replace(NOW, lit(timezone.now()))


def columns_query(language: str, base_url: str, selection_sql: str, names: list[str]) -> str:
    """(ord, then the CSV columns `names` as c0, c1…, text or NULL) of each selected petition,
    in the selection's order. OFFSET 0 (in `each_selected`) computes each column once when an
    outer query reads it twice."""
    q = built(language, base_url, timezone.localdate())
    columns = ", ".join(f"{q.columns[name]} AS c{i}" for i, name in enumerate(names))
    return at_now(each_selected(selection_sql, f"SELECT {columns} FROM {q.joined}"))
