"""Topics, portfolios and caucuses: one entity with an English and a French name.

Each entity has a permanent `slug` (from whichever name came first) and a French `slug_fr`
(blank until its French name is known); both resolve. Two entities created separately for one
concept are merged (`merge`): the other becomes an alias (`alias_of`) that keeps its slug
resolvable and leaves every list. Known pairs seen on real pages are `pairs.PAIRS`.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from petitions.i18n import Localised, pick, reduce


class VocabularyQuerySet(models.QuerySet):
    def listed(self):
        """The entities lists and facets show: never an alias."""
        return self.filter(alias_of__isnull=True)

    def by_slug(self, slug: str):
        """The entity an English or French slug names (an alias's slug: its entity), or None."""
        found = self.filter(Q(slug=slug) | Q(slug_fr=slug)).order_by("alias_of").first()
        while found is not None and found.alias_of_id:
            found = type(found).objects.get(pk=found.alias_of_id)
        return found

    def for_slugs(self, slugs):
        """The ids of the entities these slugs name (English, French or an alias's), as a
        subquery: a list filter stays one query."""
        return (
            self.filter(Q(slug__in=slugs) | Q(slug_fr__in=slugs))
            .annotate(entity=Coalesce("alias_of", "id"))
            .values("entity")
        )

    def named(self, name: str, language: str):
        """The listed entity with this name in this language, or None."""
        if not name:
            return None
        return self.listed().filter(**{name_field(language): name}).first()


def name_field(language: str) -> str:
    return "name_fr" if language == "fr" else "name"


def slug_field(language: str) -> str:
    return "slug_fr" if language == "fr" else "slug"


def slug_in(slug: str, slug_fr: str, language: str | None = None) -> str:
    """The slug the site of `language` (the active one by default) links to."""
    return (slug_fr or slug) if reduce(language) == "fr" else slug


def constraints(prefix: str) -> list:
    """Each name unique when given (aliases aside), each slug unique, never both names blank."""
    listed = Q(alias_of__isnull=True)
    return [
        models.UniqueConstraint(
            fields=["name"], condition=~Q(name="") & listed, name=f"{prefix}_name_unique"
        ),
        models.UniqueConstraint(
            fields=["name_fr"], condition=~Q(name_fr="") & listed, name=f"{prefix}_name_fr_unique"
        ),
        models.UniqueConstraint(
            fields=["slug_fr"], condition=~Q(slug_fr=""), name=f"{prefix}_slug_fr_unique"
        ),
        models.CheckConstraint(condition=~Q(name="") | ~Q(name_fr=""), name=f"{prefix}_has_a_name"),
    ]


class Bilingual:
    """Methods of a vocabulary model (fields: name, name_fr, slug, slug_fr, alias_of)."""

    @property
    def local_name(self) -> Localised:
        return pick(self.name, self.name_fr)

    @property
    def local_slug(self) -> str:
        return slug_in(self.slug, self.slug_fr)

    def name_in(self, language: str) -> str:
        return getattr(self, name_field(language))


def unique_slug(model, name: str, exclude_pk=None) -> str:
    """A slug for `name` that no row of `model` uses, as its slug or its French slug."""
    base = slugify(name)[:180] or "unnamed"
    slug, n = base, 1
    others = model.objects.exclude(pk=exclude_pk)
    fields = [f.name for f in model._meta.get_fields() if f.name in ("slug", "slug_fr")]

    def taken(slug: str) -> bool:
        return others.filter(Q.create([(f, slug) for f in fields], connector=Q.OR)).exists()

    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def set_name(entity, name: str, language: str) -> None:
    """Give an entity its name in `language` (and its French slug), and save it."""
    setattr(entity, name_field(language), name)
    if language == "fr" and not entity.slug_fr:
        entity.slug_fr = (
            entity.slug
            if slugify(name) == entity.slug
            else unique_slug(type(entity), name, entity.pk)
        )
    entity.save()


def merge(alias, survivor) -> None:
    """Make `alias` (an entity created separately for the same concept) part of `survivor`.

    The survivor takes the names and French slug it lacks; every row that pointed to the
    alias points to the survivor; the alias is kept (never deleted), its slug resolving to
    the survivor through `alias_of`.
    """
    moved_slug_fr = alias.slug_fr
    alias.alias_of, alias.slug_fr = survivor, ""
    alias.save()
    for field in ("name", "name_fr"):
        if not getattr(survivor, field):
            setattr(survivor, field, getattr(alias, field))
    if not survivor.slug_fr:
        survivor.slug_fr = moved_slug_fr or (alias.slug if survivor.name_fr else "")
    survivor.save()
    for relation in type(alias)._meta.related_objects:
        if relation.one_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: alias}).update(
                **{relation.field.name: survivor}
            )
