"""Counts of the public petitions by every combination of the list's classifying facets, kept
(`browse.facets.cube_counts`), and the triggers that keep them.

`facet_cube` holds, for each combination of topic, sponsor's caucus, kind, stage and
parliament-session that public petitions (not withdrawn) have, how many have it (`portfolio_id`
NULL), and how many of them each portfolio answered (`portfolio_id` set: a petition answered
twice by one portfolio counts once). A list filtered by those facets counts its facets by
summing a few of these rows instead of reading the petitions they select: the combinations are
bounded by the vocabularies (about 15,000 rows), not by the size of the archive.

Statement-level triggers change the counts in the writing transaction, whatever wrote:
- a write to the petitions subtracts the rows it changed as they were and adds them as they
  are (an UPDATE counts only rows whose counted columns, sponsor or withdrawal changed), with
  the portfolios that answered each;
- a write to the responses adds or subtracts each (portfolio, petition) pair it made or
  unmade (whether some response has the pair, before and after the statement);
- an MP changing caucus moves the petitions they sponsored from one caucus to the other;
- a TRUNCATE counts everything again.
Writers are already serialised by the archive's version row (`archive_version_bump`, which
fires first).
"""

from django.db import migrations, models

DIMS = "topic_id, caucus_id, kind, stage, parliament, session"
PUBLIC = "withdrawn_at IS NULL"


def add(rows: str) -> str:
    """Add `rows` (id, topic_id, caucus_id, kind, stage, parliament, session, d: petitions with
    a sign) to the cube: to the counts of all petitions and of each portfolio that answered."""
    return f"""
    INSERT INTO facet_cube AS c (portfolio_id, {DIMS}, n)
    SELECT portfolio_id, {DIMS}, sum(d) FROM (
        WITH changed AS ({rows})
        SELECT NULL::bigint AS portfolio_id, {DIMS}, d FROM changed
        UNION ALL
        SELECT pp.portfolio_id, {DIMS}, d FROM changed r
        CROSS JOIN LATERAL (SELECT DISTINCT portfolio_id FROM responses_response
                            WHERE petition_id = r.id AND portfolio_id IS NOT NULL) pp
    ) x
    GROUP BY portfolio_id, {DIMS} HAVING sum(d) <> 0
    ON CONFLICT (portfolio_id, {DIMS}) DO UPDATE SET n = c.n + EXCLUDED.n"""


def petitions(table: str, sign: int, where: str = "TRUE") -> str:
    """The public petitions of `table` matching `where`, with their sponsor's caucus now."""
    return f"""SELECT r.id, r.topic_id, m.caucus_id, r.kind, r.stage, r.parliament, r.session,
        {sign} AS d FROM {table} r LEFT JOIN petitions_member m ON m.id = r.sponsor_id
        WHERE r.{PUBLIC} AND {where}"""


COUNTED = "(r.topic_id, r.sponsor_id, r.kind, r.stage, r.parliament, r.session, r.withdrawn_at IS NULL)"
CHANGED = "EXISTS (SELECT 1 FROM {other} o WHERE o.id = r.id AND {counted} IS DISTINCT FROM {mine})"

RECOUNT = f"""
CREATE FUNCTION facet_cube_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM facet_cube;
    {add(petitions("petitions_petition", 1))};
END $$;
"""

PETITIONS = f"""
CREATE FUNCTION facet_cube_petitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add(petitions("new_rows", 1))};
    ELSIF TG_OP = 'DELETE' THEN
        {add(petitions("old_rows", -1))};
    ELSIF TG_OP = 'UPDATE' THEN
        {add(petitions("old_rows", -1, CHANGED.format(other="new_rows", counted=COUNTED.replace("r.", "o."), mine=COUNTED))
             + " UNION ALL " +
             petitions("new_rows", 1, CHANGED.format(other="old_rows", counted=COUNTED.replace("r.", "o."), mine=COUNTED)))};
    ELSE
        PERFORM facet_cube_recount();
    END IF;
    RETURN NULL;
END $$;
"""


def pairs(old: str, new: str) -> str:
    """Each (portfolio, petition) pair a write to the responses made (+1) or unmade (-1), with
    the petition's counted columns: some response has it after the write, or had it before
    (the responses now, less those the write made, plus those it changed or deleted)."""
    return f"""
    INSERT INTO facet_cube AS c (portfolio_id, {DIMS}, n)
    SELECT pair.portfolio_id, p.topic_id, m.caucus_id, p.kind, p.stage, p.parliament, p.session,
           sum(pair.d)
    FROM (
        SELECT portfolio_id, petition_id,
            EXISTS (SELECT 1 FROM responses_response x WHERE x.portfolio_id = a.portfolio_id
                    AND x.petition_id = a.petition_id)::int
          - (EXISTS (SELECT 1 FROM responses_response x WHERE x.portfolio_id = a.portfolio_id
                     AND x.petition_id = a.petition_id AND x.id NOT IN (SELECT id FROM {new} made))
             OR EXISTS (SELECT 1 FROM {old} x WHERE x.portfolio_id = a.portfolio_id
                        AND x.petition_id = a.petition_id))::int AS d
        FROM (SELECT portfolio_id, petition_id FROM {old} was UNION
              SELECT portfolio_id, petition_id FROM {new} now) a
        WHERE a.portfolio_id IS NOT NULL
    ) pair
    JOIN petitions_petition p ON p.id = pair.petition_id AND p.{PUBLIC}
    LEFT JOIN petitions_member m ON m.id = p.sponsor_id
    WHERE pair.d <> 0
    GROUP BY pair.portfolio_id, p.topic_id, m.caucus_id, p.kind, p.stage, p.parliament, p.session
    ON CONFLICT (portfolio_id, {DIMS}) DO UPDATE SET n = c.n + EXCLUDED.n"""


NONE = "(SELECT * FROM responses_response WHERE FALSE)"
RESPONSES = f"""
CREATE FUNCTION facet_cube_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {pairs(NONE, "new_rows")};
    ELSIF TG_OP = 'DELETE' THEN
        {pairs("old_rows", NONE)};
    ELSIF TG_OP = 'UPDATE' THEN
        {pairs("old_rows", "new_rows")};
    ELSE
        PERFORM facet_cube_recount();
    END IF;
    RETURN NULL;
END $$;
"""


def moved(side: str, sign: int) -> str:
    """The public petitions sponsored by MPs whose caucus changed, in their caucus before (`o`)
    or after (`n`)."""
    return f"""SELECT r.id, r.topic_id, {side}.caucus_id, r.kind, r.stage, r.parliament,
        r.session, {sign} AS d FROM petitions_petition r
        JOIN old_rows o ON o.id = r.sponsor_id JOIN new_rows n ON n.id = o.id
        WHERE r.{PUBLIC} AND o.caucus_id IS DISTINCT FROM n.caucus_id"""


MEMBERS = f"""
CREATE FUNCTION facet_cube_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        {add(moved("o", -1) + " UNION ALL " + moved("n", 1))};
    ELSE
        PERFORM facet_cube_recount();
    END IF;
    RETURN NULL;
END $$;
"""


def triggers(table: str, function: str, events=("insert", "update", "delete")) -> str:
    """The statement-level triggers that run `function` after a write to `table`."""
    transition = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    made = [
        f"CREATE TRIGGER facet_cube_{event} AFTER {event.upper()} ON {table} "
        f"{transition[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for event in events
    ]
    made.append(
        f"CREATE TRIGGER facet_cube_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
    )
    return "\n".join(made)


INSTALL = "\n".join([
    RECOUNT,
    PETITIONS,
    triggers("petitions_petition", "facet_cube_petitions"),
    RESPONSES,
    triggers("responses_response", "facet_cube_responses"),
    MEMBERS,
    triggers("petitions_member", "facet_cube_members", events=("update",)),
    "SELECT facet_cube_recount();",
])  # fmt: skip
UNINSTALL = """
DROP FUNCTION facet_cube_petitions() CASCADE;
DROP FUNCTION facet_cube_responses() CASCADE;
DROP FUNCTION facet_cube_members() CASCADE;
DROP FUNCTION facet_cube_recount();
"""


class Migration(migrations.Migration):
    dependencies = [("browse", "0002_facet_tally")]

    operations = [
        migrations.CreateModel(
            name="FacetCube",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),  # fmt: skip
                ("portfolio_id", models.BigIntegerField(null=True)),
                ("topic_id", models.BigIntegerField(null=True)),
                ("caucus_id", models.BigIntegerField(null=True)),
                ("kind", models.CharField(max_length=20)),
                ("stage", models.CharField(max_length=30)),
                ("parliament", models.IntegerField(null=True)),
                ("session", models.IntegerField(null=True)),
                ("n", models.BigIntegerField()),
            ],
            options={"db_table": "facet_cube"},
        ),
        migrations.AddConstraint(
            model_name="facetcube",
            constraint=models.UniqueConstraint(
                fields=("portfolio_id", "topic_id", "caucus_id", "kind", "stage", "parliament",
                        "session"),
                name="facet_cube_once",
                nulls_distinct=False,
            ),  # fmt: skip
        ),
        migrations.RunSQL(INSTALL, UNINSTALL),
    ]
