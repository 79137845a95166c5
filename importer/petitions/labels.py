"""The English and French wording of petition pages, as compiled patterns."""

from __future__ import annotations

import re
import unicodedata

_I = re.IGNORECASE

# Bullets a browser or an editor may print in front of a list item.
BULLET = re.compile(r"^(?:[•◦▪●‣·]\s*|[-*–]\s+)")

HEADING = re.compile(
    r"^(?:(?P<e>e)\s*-\s*(?P<digits>\d{1,6})|(?P<paper>\d{3}-\d{4,5}))\s*\((?P<topic>.*)\)$", _I
)

# Lines of the site's frame, ignored wherever they appear.
SKIP = re.compile(
    r"^(?:(?:skip to (?:main )?content|start of content|passer au contenu(?: principal)?"
    r"|début du contenu|aller au contenu principal)[\s.;|]*)+$",
    _I,
)

# Lines of the page footer: they end whatever block they follow.
FOOTER = re.compile(
    r"^(?:disclaimer regarding (?:e-)?petitions?"
    r"|avis (?:de non-responsabilité|relatif|concernant)\b.*pétition.*"
    r"|only validated signatures\b.*|seules les signatures validées\b.*"
    r"|date modified\s*:.*|date de modification\s*:.*)$",
    _I,
)

PAPER = re.compile(r"^(?:paper petition|pétition papier|pétition sur papier)$", _I)
ELECTRONIC = re.compile(r"^(?:e-petition|electronic petition|pétition électronique)$", _I)

INITIATOR = {
    "en": re.compile(r"^initiated by\s+(?P<rest>.+)$", _I),
    "fr": re.compile(r"^lancée? par\s+(?P<rest>.+)$", _I),
}
ORIGINAL_LANGUAGE = {
    "en": re.compile(r"^original language of (?:the )?petition\s*:\s*(?P<value>.*)$", _I),
    "fr": re.compile(r"^langue (?:d['’]origine|originale) de la pétition\s*:\s*(?P<value>.*)$", _I),
}
LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "en": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "fr": "fr",
}
ADDRESSEE = {
    "en": re.compile(r"^petition to(?:\s+the\b|\b)\s*(?P<value>.*)$", _I),
    "fr": re.compile(
        r"^pétition\s+(?:adressée\s+)?(?:(?:au|aux|à\s+la|à)(?:\s+|$)|à\s+l['’]\s*)(?P<value>.*)$",
        _I,
    ),
}

# "Whereas:" on a line of its own introduces the grievances ("Attendu qu :" is a real typo).
INTRO = {
    "en": re.compile(r"^(?:whereas|considering that)\s*[:,]?$", _I),
    "fr": re.compile(r"^(?:attendu\s+qu(?:e|['’])?|considérant\s+que)\s*[:,]?$", _I),
}
# "THEREFORE:" on a line of its own stands between the grievances and the prayer.
THEREFORE = {
    "en": re.compile(r"^(?:now,?\s+)?therefore\s*[:,]?$", _I),
    "fr": re.compile(r"^(?:par\s+conséquent|c['’]est\s+pourquoi|à\s+ces\s+causes)\s*[:,]?$", _I),
}

# Openings of a prayer; WEAK_PRAYER openings count only with a verb such as "call upon".
PRAYER = {
    "en": re.compile(
        r"^[«\"“]?\s*(?:we,?\s+(?:the\s+)?undersigned"
        r"|therefore,?\s+(?:your\s+petitioners|we|the\s+undersigned|the\s+petitioners)\b)",
        _I,
    ),
    "fr": re.compile(
        r"^[«\"“]?\s*(?:nous,?\s+(?:les\s+)?soussigné"
        r"|(?:par\s+conséquent|c['’]est\s+pourquoi|à\s+ces\s+causes),?\s+"
        r"(?:nous|vos\s+pétitionnaires|les\s+pétitionnaires|les\s+soussigné))",
        _I,
    ),
}
WEAK_PRAYER = {
    "en": re.compile(r"^[«\"“]?\s*(?:(?:your|the)\s+petitioners|the\s+undersigned)\b", _I),
    "fr": re.compile(r"^[«\"“]?\s*(?:(?:vos|les)\s+pétitionnaires|les\s+soussigné)", _I),
}
# "We, the undersigned, draw the attention of the House to the following:" opens grievances.
ATTENTION = re.compile(
    r"\b(?:draw|bring)s?\s+(?:the\s+)?attention\b|\b(?:attirer|attirons|portons)\s+"
    r"(?:à\s+)?l['’]attention\b",
    _I,
)
# Verbs of a prayer, used only when no paragraph opens the usual way.
CALL = re.compile(
    r"\b(?:call(?:s|ing)?\s+(?:up)?on|request|urge|ask|pray|demand"
    r"|prions|demandons|exhortons|réclamons|implorons|sollicitons)\b",
    _I,
)
NUMBERED = re.compile(r"^(?P<n>\d{1,2})[.)](?:\s+|(?=[^\d\s]))(?P<text>.+)$")

RESPONSE = {
    "en": re.compile(r"^response by\s+(?:the\s+)?(?P<portfolio>.{1,200}?)\s*:?$", _I),
    "fr": re.compile(
        r"^réponse\s+(?:du|de\s+la|des|de\s+l['’]|de)\s*(?P<portfolio>.{1,200}?)\s*:?$", _I
    ),
}
SIGNED = {
    "en": re.compile(r"^signed by\s*(?:\([^)]*\))?\s*:?\s*(?P<name>.*)$", _I),
    "fr": re.compile(r"^signée? par\s*(?:\([^)]*\))?\s*:?\s*(?P<name>.*)$", _I),
}
SIGNER_SUFFIX = re.compile(r"(?:\s*,\s*(?:m\.\s?p\.?|mp|m\.p|députée?))+\s*$", _I)

# Timeline labels; "rest" is whatever follows the label on the same line.
TIMELINE = {
    "opened": {
        "en": re.compile(r"^open(?:ed)? for signatures?\b\s*:?\s*(?P<rest>.*)$", _I),
        "fr": re.compile(r"^ouverte (?:pour|aux) signatures?\b\s*:?\s*(?P<rest>.*)$", _I),
    },
    "closed": {
        "en": re.compile(r"^closed for signatures?\b\s*:?\s*(?P<rest>.*)$", _I),
        "fr": re.compile(r"^fermée (?:pour|aux) signatures?\b\s*:?\s*(?P<rest>.*)$", _I),
    },
    "presented": {
        "en": re.compile(r"^presented to the house of commons\b\s*:?\s*(?P<rest>.*)$", _I),
        "fr": re.compile(r"^présentée à la chambre des communes\b\s*:?\s*(?P<rest>.*)$", _I),
    },
    "tabled": {
        "en": re.compile(r"^government response tabled\b\s*:?\s*(?P<rest>.*)$", _I),
        "fr": re.compile(r"^réponse du gouvernement déposée\b\s*:?\s*(?P<rest>.*)$", _I),
    },
}
# "Government response tabled on <date> (Sessional Paper No. 8545-421-66-01)".
OLD_RESPONSE_REST = re.compile(r"^(?:on|le)\s+|sessional paper|document parlementaire", _I)
SESSIONAL_PAPER = re.compile(
    r"\((?:sessional paper|document parlementaire)\s*(?:no\.?|n[º°o]\.?|number|#)?\s*:?\s*"
    r"(?P<paper>[\w./-]+?)\s*\)",
    _I,
)
PETITION_NUMBER = re.compile(r"\b(\d{3}-\d{4,5})\b")

SIGNATURES = [
    re.compile(
        r"^(?:(?:total )?(?:number of |nombre de )?signatures?)\s*:?\s*(?P<n>\d[\d,. ]*)$", _I
    ),
    re.compile(r"^(?P<n>\d[\d,. ]*)\s+signatures?\.?$", _I),
]
SIGNATURES_LABEL = re.compile(r"^(?:total )?(?:number of |nombre de )?signatures?\s*:?$", _I)
COUNT = re.compile(r"^\d[\d,. ]*$")

# Index terms of older pages: "Keywords" then one term a line, or "Keywords: Fur, Imports".
KEYWORDS = re.compile(r"^(?:key\s*words?|mots[-\s]clés)\s*(?::\s*(?P<rest>.*))?$", _I)
KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")

PHOTO = re.compile(r"^photo\s*(?:[-–—:]\s*|de\s+)(?P<name>.+)$", _I)
CAUCUS = re.compile(
    r"\bcaucus\b|^(?:independent|indépendante?|non-affiliated|non affiliée?|sans affiliation)$",
    _I,
)
_PROVINCES = (
    "Alberta British_Columbia Manitoba New_Brunswick Newfoundland_and_Labrador Nova_Scotia "
    "Ontario Prince_Edward_Island Quebec Québec Saskatchewan Northwest_Territories Nunavut Yukon "
    "Colombie-Britannique Nouveau-Brunswick Terre-Neuve-et-Labrador Nouvelle-Écosse "
    "Île-du-Prince-Édouard Territoires_du_Nord-Ouest Newfoundland "
    "AB BC MB NB NL NS ON PE QC SK NT NU YT"
)


def _key(text: str) -> str:
    """Compare names without case, accents, dashes or doubled spaces."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-–—_.]", " ", plain).split())


PROVINCE_KEYS = frozenset(_key(name) for name in _PROVINCES.split())


def is_province(text: str) -> bool:
    """True for a Canadian province or territory written in English or French."""
    return _key(text) in PROVINCE_KEYS


def is_province_start(text: str) -> bool:
    """True for the first letters of a province's name ("Colombie-Brit"), not a whole one."""
    start = _key(text)
    return bool(start) and any(
        key.startswith(start) and key != start and len(key) > 2 for key in PROVINCE_KEYS
    )


_NOT_CERTIFIED = re.compile(
    r"^(?:(?:this|the) (?:e-)?petition (?:was|has been|is) )?not certified\.?$"
    r"|^(?:(?:cette|la) )?pétition(?: électronique)? (?:n['’]a pas été|non) certifiée\.?$"
    r"|^non certifiée\.?$",
    _I,
)
_STATUS_START = re.compile(
    r"^(?:this|the|e-?petition|petition|closed|no|not|cette|la|pétition|fermée|aucune|pas"
    r"|sans|government|response|réponse)\b",
    _I,
)
_UNANSWERED = re.compile(
    r"\b(?:no|without)\s+(?:government\s+)?response\b|\bnot\s+(?:been\s+)?(?:responded|answered)"
    r"|\b(?:aucune|pas\s+de|sans)\s+réponse\b",
    _I,
)
_CLOSED = re.compile(r"\b(?:closed|fermée|withdrawn|retirée)\b", _I)
_STATUS_PREFIX = re.compile(r"^(?:status|statut|état)\s*:\s*", _I)


def end_state(line: str) -> str | None:
    """The end state a status line announces, or None for any other line."""
    text = _STATUS_PREFIX.sub("", line.strip())
    if not text or len(text) > 200 or BULLET.match(text):
        return None
    if _NOT_CERTIFIED.match(text):
        return "not_certified"
    folded = text.casefold()
    if "dissolution" not in folded or not _STATUS_START.match(text):
        return None
    if not any(
        word in folded for word in ("petition", "pétition", "signature", "response", "réponse")
    ):
        return None
    if _UNANSWERED.search(text):
        return "unanswered_dissolution"
    if _CLOSED.search(text):
        return "closed_dissolution"
    return None


def match_any(table: dict[str, re.Pattern[str]], line: str) -> tuple[str, re.Match[str]] | None:
    """Match a line against a table of {language: pattern}; return the language and match."""
    for lang, pattern in table.items():
        found = pattern.match(line)
        if found:
            return lang, found
    return None
