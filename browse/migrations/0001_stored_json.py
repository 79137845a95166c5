"""Each petition's public JSON, kept (`browse.stored_json`), and the triggers that forget it.

After every INSERT, UPDATE, DELETE or TRUNCATE of a table the JSON reads, a statement-level
trigger deletes the stored JSON of the petitions the statement touched, in the writing
transaction, whatever wrote (the importer, the admin, a bulk load, psql). An UPDATE counts only
the rows it changed: an unchanged save keeps the stored JSON. Each trigger first takes the
advisory lock `LOCK` shared; a fill takes it exclusive (`stored_json.store`), so a fill never
reads rows a write has not committed yet and then keeps JSON the write has already forgotten.
"""

from django.db import migrations, models

LOCK = 742_014  # browse.stored_json.LOCK

# The petitions a set of rows `changed` (one of the table's transition tables) touches.
TOUCHED = {
    "petitions_petition": "SELECT id FROM changed",
    "petitions_grievance": "SELECT petition_id FROM changed",
    "petitions_prayeritem": "SELECT petition_id FROM changed",
    "petitions_sourcerecord": "SELECT petition_id FROM changed",
    "responses_response": "SELECT petition_id FROM changed",
    "petitions_topic": "SELECT id FROM petitions_petition WHERE topic_id IN (SELECT id FROM changed)",
    "petitions_member": (
        "SELECT id FROM petitions_petition WHERE sponsor_id IN (SELECT id FROM changed) "
        "UNION SELECT id FROM petitions_petition WHERE presenter_id IN (SELECT id FROM changed)"
    ),
    "petitions_caucus": (
        "SELECT p.id FROM petitions_petition p JOIN petitions_member m ON m.id = p.sponsor_id "
        "WHERE m.caucus_id IN (SELECT id FROM changed) UNION SELECT p.id FROM petitions_petition "
        "p JOIN petitions_member m ON m.id = p.presenter_id WHERE m.caucus_id IN "
        "(SELECT id FROM changed)"
    ),
    "responses_portfolio": (
        "SELECT petition_id FROM responses_response WHERE portfolio_id IN (SELECT id FROM changed)"
    ),
    "responses_signer": (
        "SELECT petition_id FROM responses_response WHERE signer_id IN (SELECT id FROM changed)"
    ),
}
# Rows nothing refers to yet: inserting them changes no petition's JSON.
LOOKUPS = {"petitions_topic", "petitions_member", "petitions_caucus", "responses_portfolio",
           "responses_signer"}  # fmt: skip


def forget(table: str) -> str:
    """The trigger function of `table` and its four triggers."""
    touched = TOUCHED[table]
    delete = "DELETE FROM petition_json WHERE petition_id IN ({})"

    def of(rows: str) -> str:
        return delete.format(f"WITH changed AS ({rows}) {touched}")

    # An UPDATE's changed rows: those whose new row differs from the old, old and new both
    # (a row moved to another petition touches both).
    differ = "FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o IS DISTINCT FROM n"
    function = f"petition_json_forget_{table}"
    sql = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK});
    IF TG_OP = 'INSERT' THEN
        {of("SELECT * FROM new_rows")};
    ELSIF TG_OP = 'DELETE' THEN
        {of("SELECT * FROM old_rows")};
    ELSIF TG_OP = 'UPDATE' THEN
        {of(f"SELECT o.* {differ} UNION ALL SELECT n.* {differ}")};
    ELSE
        DELETE FROM petition_json;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER petition_json_forget_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER petition_json_forget_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER petition_json_forget_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    if table not in LOOKUPS:
        sql += f"""CREATE TRIGGER petition_json_forget_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    return sql


# lz4 compresses and reads back the texts about twice as fast as pglz, where the server has it.
LZ4 = """
DO $$ BEGIN
    ALTER TABLE petition_json ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
"""
INSTALL = "\n".join([LZ4, *(forget(table) for table in TOUCHED)])
UNINSTALL = "\n".join(f"DROP FUNCTION petition_json_forget_{t}() CASCADE;" for t in TOUCHED)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("petitions", "0014_petition_summary"),
        ("responses", "0004_bilingual_texts"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredJson",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),  # fmt: skip
                ("language", models.CharField(max_length=2)),
                ("build", models.CharField(max_length=16)),
                ("body", models.TextField()),
                (
                    "petition",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="petitions.petition",
                    ),
                ),
            ],
            options={
                "db_table": "petition_json",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("petition", "language"), name="petition_json_once"
                    )
                ],
            },
        ),
        migrations.RunSQL(INSTALL, UNINSTALL),
    ]
