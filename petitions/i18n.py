"""A text in the language of the page being read, or else in the other official language.

Pure helpers: the models' `local_*` accessors build on `pick`, templates and exports read them.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Localised:
    """A text and the language it is actually in ("" when there is no text at all)."""

    text: str
    lang: str
    requested: str = "en"

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def is_fallback(self) -> bool:
        """True when the text is in the other language than the one asked for."""
        return bool(self.lang) and self.lang != self.requested


def active_language() -> str:
    """The active language reduced to "en" or "fr" ("fr-ca" → "fr"; anything else → "en")."""
    return "fr" if (get_language() or "en").lower().startswith("fr") else "en"


def reduce(language: str | None) -> str:
    """ "en" or "fr" from a language code; None is the active language."""
    if language is None:
        return active_language()
    return "fr" if language.lower().startswith("fr") else "en"


def other_language(language: str) -> str:
    return "en" if language == "fr" else "fr"


def pick(en: str, fr: str, language: str | None = None) -> Localised:
    """The text in `language` (the active one by default), else the other language's."""
    language = reduce(language)
    texts = {"en": en or "", "fr": fr or ""}
    for lang in (language, other_language(language)):
        if texts[lang]:
            return Localised(texts[lang], lang, language)
    return Localised("", "", language)


def pick_rows(rows, language: str | None = None) -> list[Localised]:
    """Numbered rows (grievances, prayer items) in `language`: its non-blank texts if any,
    else the other language's."""
    language = reduce(language)
    for lang in (language, other_language(language)):
        texts = [text_in(row, lang) for row in rows]
        if any(texts):
            return [Localised(t, lang, language) for t in texts if t]
    return []


def text_in(row, language: str, field: str = "text") -> str:
    """A row's English (`field`) or French (`field_fr`) text."""
    return getattr(row, field if language == "en" else f"{field}_fr") or ""


class PetitionTexts:
    """A petition's texts in the active language (rows from the prefetched relations)."""

    @property
    def local_addressee(self) -> Localised:
        return pick(self.addressee, self.addressee_fr)

    @property
    def local_prayer_text(self) -> Localised:
        return pick(self.prayer_text, self.prayer_text_fr)

    @property
    def local_summary(self) -> Localised:
        """The stored summary (petitions.summary); for a row not yet summarised, its prayer's."""
        if self.summary or self.summary_fr:
            return pick(self.summary, self.summary_fr)
        from petitions.summary import summarise

        return pick(*(summarise(t, [], [], lang) for t, lang in self._prayers()))

    def _prayers(self):
        return ((self.prayer_text, "en"), (self.prayer_text_fr, "fr"))

    @property
    def local_province_text(self) -> Localised:
        return pick(self.initiator_province_text, self.initiator_province_text_fr)

    def local_grievances(self) -> list[Localised]:
        return pick_rows(self.grievances.all())

    def local_prayer_items(self) -> list[Localised]:
        return pick_rows(self.prayer_items.all())
