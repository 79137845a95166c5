"""The whole archive's facet counts, kept (`browse.tally`), and the triggers that keep them.

`facet_tally` holds, for the public petitions (not withdrawn), how many have each topic,
sponsor, kind, stage and parliament-session (`all`: how many in all), and how many each
portfolio answered. Statement-level triggers change the counts in the writing transaction,
whatever wrote:
- a write to the petitions adds the rows it made public and takes away those it took out
  (an UPDATE counts only rows whose counted columns or withdrawal changed);
- new responses add the (portfolio, petition) pairs they are the first of; any other write to
  the responses, and a petition withdrawn, restored or deleted, counts the portfolios it
  touches again;
- a TRUNCATE counts everything again.
Writers are already serialised by the archive's version row (`archive_version_bump`, which
fires first), so a count made again sees every committed write before it.
"""

from django.db import migrations, models

PUBLIC = "withdrawn_at IS NULL"
# (facet, value) of a petition row `r`; NULL values are not counted.
ROW_FACETS = [
    ("all", "''"),
    ("topic", "r.topic_id::text"),
    ("sponsor", "r.sponsor_id::text"),
    ("kind", "r.kind"),
    ("stage", "r.stage"),
    ("parliament", "r.parliament::text || '-' || COALESCE(r.session::text, '')"),
]
COUNTED = "(r.topic_id, r.sponsor_id, r.kind, r.stage, r.parliament, r.session, r.withdrawn_at IS NULL)"


def add(rows: str) -> str:
    """Add the signed rows `rows` (a petition row `r` and its sign `d`) to the tally."""
    facets = " UNION ALL ".join(
        f"SELECT '{facet}' AS facet, {value} AS value, d FROM changed r WHERE {value} IS NOT NULL"
        for facet, value in ROW_FACETS
    )
    return f"""
    INSERT INTO facet_tally AS t (facet, value, n)
    SELECT facet, value, sum(d) FROM (WITH changed AS ({rows}) {facets}) x
    GROUP BY facet, value HAVING sum(d) <> 0
    ON CONFLICT (facet, value) DO UPDATE SET n = t.n + EXCLUDED.n"""


def recount_ministers(portfolios: str) -> str:
    """Count again the petitions each of `portfolios` (a query of ids; NULL: all) answered."""
    chosen = "TRUE" if portfolios == "ALL" else f"r.portfolio_id IN ({portfolios})"
    facet_rows = (
        "TRUE" if portfolios == "ALL" else f"value IN (SELECT p::text FROM ({portfolios}) x(p))"
    )
    return f"""
    DELETE FROM facet_tally WHERE facet = 'minister' AND {facet_rows};
    INSERT INTO facet_tally (facet, value, n)
    SELECT 'minister', r.portfolio_id::text, count(DISTINCT r.petition_id)
    FROM responses_response r JOIN petitions_petition p ON p.id = r.petition_id AND p.{PUBLIC}
    WHERE r.portfolio_id IS NOT NULL AND {chosen} GROUP BY r.portfolio_id"""


RECOUNT = f"""
CREATE FUNCTION facet_tally_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM facet_tally;
    {add(f"SELECT r.*, 1 AS d FROM petitions_petition r WHERE r.{PUBLIC}")};
    {recount_ministers("ALL")};
END $$;
"""

PETITIONS = f"""
CREATE FUNCTION facet_tally_petitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add(f"SELECT r.*, 1 AS d FROM new_rows r WHERE r.{PUBLIC}")};
    ELSIF TG_OP = 'DELETE' THEN
        {add(f"SELECT r.*, -1 AS d FROM old_rows r WHERE r.{PUBLIC}")};
        IF EXISTS (SELECT 1 FROM old_rows) THEN
            {recount_ministers("SELECT DISTINCT portfolio_id FROM responses_response WHERE petition_id IN (SELECT id FROM old_rows)")};
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        {add(f'''SELECT r.*, -1 AS d FROM old_rows r JOIN new_rows n ON n.id = r.id
                 WHERE r.{PUBLIC} AND {COUNTED} IS DISTINCT FROM {COUNTED.replace("r.", "n.")}
                 UNION ALL
                 SELECT r.*, 1 AS d FROM new_rows r JOIN old_rows o ON o.id = r.id
                 WHERE r.{PUBLIC} AND {COUNTED} IS DISTINCT FROM {COUNTED.replace("r.", "o.")}''')};
        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                   WHERE (o.{PUBLIC}) IS DISTINCT FROM (n.{PUBLIC})) THEN
            {recount_ministers('''SELECT DISTINCT portfolio_id FROM responses_response WHERE petition_id IN
                (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE (o.withdrawn_at IS NULL) IS DISTINCT FROM (n.withdrawn_at IS NULL))''')};
        END IF;
    ELSE
        PERFORM facet_tally_recount();
    END IF;
    RETURN NULL;
END $$;
"""

# A new response adds its (portfolio, petition) pair when no other response has it yet.
NEW_PAIRS = f"""
    INSERT INTO facet_tally AS t (facet, value, n)
    SELECT 'minister', pair.portfolio_id::text, count(*) FROM (
        SELECT DISTINCT r.portfolio_id, r.petition_id FROM new_rows r
        JOIN petitions_petition p ON p.id = r.petition_id AND p.{PUBLIC}
        WHERE r.portfolio_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM responses_response o WHERE o.portfolio_id = r.portfolio_id
            AND o.petition_id = r.petition_id AND o.id NOT IN (SELECT id FROM new_rows))
    ) pair GROUP BY pair.portfolio_id
    ON CONFLICT (facet, value) DO UPDATE SET n = t.n + EXCLUDED.n"""

RESPONSES = f"""
CREATE FUNCTION facet_tally_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {NEW_PAIRS};
    ELSIF TG_OP = 'DELETE' THEN
        {recount_ministers("SELECT DISTINCT portfolio_id FROM old_rows")};
    ELSIF TG_OP = 'UPDATE' THEN
        {recount_ministers('''SELECT o.portfolio_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.portfolio_id, o.petition_id) IS DISTINCT FROM (n.portfolio_id, n.petition_id)
            UNION SELECT n.portfolio_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.portfolio_id, o.petition_id) IS DISTINCT FROM (n.portfolio_id, n.petition_id)''')};
    ELSE
        {recount_ministers("ALL")};
    END IF;
    RETURN NULL;
END $$;
"""



def triggers(table: str, function: str) -> str:
    """The four statement-level triggers that run `function` after a write to `table`."""
    return f"""
CREATE TRIGGER facet_tally_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER facet_tally_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER facet_tally_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER facet_tally_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


INSTALL = "\n".join([
    RECOUNT,
    PETITIONS,
    triggers("petitions_petition", "facet_tally_petitions"),
    RESPONSES,
    triggers("responses_response", "facet_tally_responses"),
    "SELECT facet_tally_recount();",
])  # fmt: skip
UNINSTALL = """
DROP FUNCTION facet_tally_petitions() CASCADE;
DROP FUNCTION facet_tally_responses() CASCADE;
DROP FUNCTION facet_tally_recount();
"""


class Migration(migrations.Migration):
    dependencies = [("browse", "0001_stored_json")]

    operations = [
        migrations.CreateModel(
            name="FacetTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),  # fmt: skip
                ("facet", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=40)),
                ("n", models.BigIntegerField()),
            ],
            options={"db_table": "facet_tally"},
        ),
        migrations.AddConstraint(
            model_name="facettally",
            constraint=models.UniqueConstraint(fields=("facet", "value"), name="facet_tally_once"),
        ),
        migrations.RunSQL(INSTALL, UNINSTALL),
    ]
