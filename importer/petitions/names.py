"""Topics, portfolios and caucuses named by a page, paired across the two languages.

A page of one language names its topic (a response its portfolio, an MP their caucus) in that
language. The record's entity takes that name when it has none in that language yet; if
another entity already has it (one concept created twice, once from each language's page),
the two are merged: the one with the English name stays, the other becomes its alias.
A name never seen before is looked up among the known pairs (`petitions.pairs`) first.
"""

from importer.petitions.values import column
from petitions.models import Caucus, Member, Topic
from petitions.pairs import counterpart
from petitions.vocabulary import merge, name_field, set_name, unique_slug
from responses.models import Portfolio

KINDS = {Topic: "topic", Portfolio: "portfolio", Caucus: "caucus"}


def entity(model, name: str, language: str):
    """The entity with this name in this language, created (with its known pair) if new."""
    if not name:
        return None
    found = model.objects.named(name, language)
    if found is not None:
        return found
    other_language = "en" if language == "fr" else "fr"
    other_name = counterpart(KINDS[model], name, language)
    found = model.objects.named(other_name, other_language)
    if found is not None and not found.name_in(language):
        set_name(found, name, language)
        return found
    created = model(slug=unique_slug(model, name))
    setattr(created, name_field(language), name)
    if language == "fr":
        created.slug_fr = created.slug
    if other_name and found is None:
        setattr(created, name_field(other_language), other_name)
        if language == "en":
            created.slug_fr = unique_slug(model, other_name)
    created.save()
    return created


def paired(model, current, name: str, language: str):
    """The entity a page names, given the record's `current` one (None when it has none)."""
    if current is None or not name:
        return entity(model, name, language) if name else current
    if current.name_in(language) == name:
        return current
    if current.name_in(language):
        return entity(model, name, language)  # the record now names another entity
    other = model.objects.named(name, language)
    if other is None:
        set_name(current, name, language)
        return current
    survivor, alias = (current, other) if current.name else (other, current)
    merge(alias, survivor)
    survivor.refresh_from_db()
    return survivor


def upsert_member(values: dict | None, language: str) -> Member | None:
    """Find an MP by name; fill in or update what this page prints about them."""
    if values is None:
        return None
    member = Member.objects.select_related("caucus").filter(name=values["name"]).first()
    if member is None:
        member = Member(name=values["name"], slug=unique_slug(Member, values["name"]))
    if values["riding"]:
        setattr(member, column("riding", language), values["riding"])
    if values["province"]:
        member.province = values["province"]
    if values["caucus"]:
        current = member.caucus if member.caucus_id else None
        member.caucus = paired(Caucus, current, values["caucus"], language)
    member.save()
    return member
