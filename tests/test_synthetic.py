"""The synthetic corpus: guarded, marked, valid, searchable and built only once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q

from bench import synthetic
from petitions import search
from petitions.models import Petition, SourceRecord

SIZE = 300


def synthesize(**options) -> str:
    out = StringIO()
    call_command("synthesize_corpus", petitions=SIZE, stdout=out, **options)
    return out.getvalue()


def containing(text: str) -> set[str]:
    """Numbers of the petitions whose stored text contains `text`, found without the index."""
    where = (
        Q(prayer_text__icontains=text)
        | Q(prayer_items__text__icontains=text)
        | Q(grievances__text__icontains=text)
        | Q(responses__text__icontains=text)
    )
    return set(Petition.objects.filter(where).values_list("number", flat=True))


def found(q: str) -> set[str]:
    matches = Petition.objects.filter(search_vector=search.query(q))
    return set(matches.values_list("number", flat=True))


@pytest.mark.django_db
def test_synthetic_corpus_is_guarded_marked_valid_searchable_and_idempotent():
    assert not connection.settings_dict["NAME"].endswith("_bench")
    with pytest.raises(CommandError, match="_bench"):
        synthesize()
    assert not Petition.objects.exists()

    assert "SYNTHETIC" in synthesize(force=True)

    petitions = Petition.objects.all()
    assert petitions.count() == SIZE
    sources = SourceRecord.objects.filter(
        source=synthetic.SOURCE, imported_by=synthetic.IMPORTED_BY
    )
    assert sources.count() == SIZE
    assert {s.petition_id for s in sources} == set(petitions.values_list("id", flat=True))
    assert all(
        p.latest_source.petition_id == p.pk for p in petitions.select_related("latest_source")
    )
    for p in petitions:
        if p.kind == "e-petition":
            assert int(p.number[2:]) >= synthetic.E_NUMBER_BASE
        if p.presented_number:
            assert int(p.presented_number[4:]) >= synthetic.PRESENTED_SEQ_BASE
    assert {"e-petition", "paper"} == set(petitions.values_list("kind", flat=True))
    assert {"responded", "presented"} <= set(petitions.values_list("stage", flat=True))

    connection.check_constraints()  # the deferred foreign keys, checked now
    for petition in petitions.order_by("id")[:25]:
        petition.full_clean()  # fields, choices and every CheckConstraint

    assert not petitions.filter(search_vector=None).exists()
    for token, share in synthetic.RARE_TOKENS.items():
        assert len(containing(token)) == share
        assert found(token) == containing(token)
    phrase = containing(synthetic.PHRASE)
    assert len(phrase) == round(SIZE * synthetic.PHRASE_SHARE)
    assert found(f'"{synthetic.PHRASE}"') == phrase

    assert "already holds" in synthesize(force=True)
    assert Petition.objects.count() == SIZE
    assert SourceRecord.objects.count() == SIZE


@pytest.mark.django_db
def test_corpus_is_written_in_batches_that_add_up(monkeypatch):
    from bench.management.commands import synthesize_corpus

    monkeypatch.setattr(synthesize_corpus, "CHUNK", 7)
    out = StringIO()
    call_command("synthesize_corpus", petitions=30, force=True, stdout=out)
    assert "      7 / 30 petitions written" in out.getvalue()
    assert "     30 / 30 petitions written" in out.getvalue()
    assert Petition.objects.count() == 30
    assert SourceRecord.objects.count() == 30
    assert len(set(Petition.objects.values_list("number", flat=True))) == 30


def test_full_sessions_number_paper_petitions_first(monkeypatch):
    import random
    from datetime import UTC, datetime

    monkeypatch.setattr(synthetic, "PRESENTED_SEQ_BASE", 99_990)  # 10 numbers a session
    plans = synthetic.plan_corpus(150, random.Random(3), 50, datetime(2025, 6, 1, tzinfo=UTC))
    presented = [p for p in plans if p.presented_on]
    numbered = [p.presented_number for p in presented if p.presented_number]
    assert len(numbered) == len(set(numbered))
    sessions = {(p.parliament, p.session) for p in presented}
    assert len(numbered) <= 10 * len(sessions)
    assert any(p.presented_number is None for p in presented)  # some sessions were full
    for plan in plans:
        if plan.kind == "paper":
            assert plan.number == plan.presented_number
            assert int(plan.number[4:]) >= 99_990


@pytest.mark.django_db
def test_copy_gives_required_columns_it_does_not_list_their_default():
    from bench import corpus_write as sc
    from petitions.models import Grievance

    columns = [c for c in sc.PETITION_COLUMNS if c not in ("addressee", "signatures")]
    extra = sc.unlisted_defaults(Petition, columns)
    assert extra["addressee"] == ""
    assert "signatures" not in extra  # nullable: the database's NULL is its default
    assert not {"stage", "response_days", "id"} & set(extra)  # generated, or the key

    call_command("synthesize_corpus", petitions=1, force=True, stdout=StringIO())
    petition = Petition.objects.get()
    sc.copy_with_defaults(Grievance, ("petition_id", "position"), [(petition.pk, 99)])
    assert Grievance.objects.get(petition=petition, position=99).text == ""


@pytest.mark.django_db(transaction=True)
def test_corpus_is_the_same_whatever_the_number_of_workers(monkeypatch):
    from bench.management.commands import synthesize_corpus
    from petitions import summary
    from responses.models import ParagraphFingerprint, PrayerFingerprint

    monkeypatch.setattr(synthesize_corpus, "CHUNK", 25)

    def build(workers: int, **options) -> dict:
        out = StringIO()
        call_command(
            "synthesize_corpus", petitions=100, force=True, workers=workers, stdout=out, **options
        )
        assert f"({workers} worker" in out.getvalue()
        assert "    100 / 100 petitions written" in out.getvalue()
        return {
            "petitions": set(Petition.objects.values_list("number", "prayer_text", "summary")),
            "planted": {t: found(t) for t in synthetic.RARE_TOKENS},
            "phrase": found(f'"{synthetic.PHRASE}"'),
            "prayer prints": PrayerFingerprint.objects.count(),
            "paragraph prints": ParagraphFingerprint.objects.count(),
        }

    alone = build(1)
    assert summary.refresh() == 0  # every summary written with its petition
    side_by_side = build(2, replace=True)
    assert Petition.objects.count() == 100
    assert not Petition.objects.filter(search_vector=None).exists()
    assert side_by_side == alone
    assert {t: len(n) for t, n in alone["planted"].items()} == synthetic.RARE_TOKENS
    assert len(alone["phrase"]) == 2
