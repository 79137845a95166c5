"""Map names as printed (English or French) to the archive's canonical values. Pure Python."""

import re
import unicodedata

PROVINCES = {
    "AB": ("Alberta",),
    "BC": ("British Columbia", "Colombie-Britannique"),
    "MB": ("Manitoba",),
    "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "Newfoundland"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "NT": ("Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut",),
    "ON": ("Ontario",),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"),
    "QC": ("Quebec", "Québec"),
    "SK": ("Saskatchewan",),
    "YT": ("Yukon", "Yukon Territory"),
}

# Caucus lines as the House prints them, English and French, to one English party name.
CAUCUSES = {
    "conservative": "Conservative",
    "conservateur": "Conservative",
    "liberal": "Liberal",
    "liberal party": "Liberal",
    "new democratic party": "New Democratic Party",
    "nouveau parti democratique": "New Democratic Party",
    "ndp": "New Democratic Party",
    "npd": "New Democratic Party",
    "bloc quebecois": "Bloc Québécois",
    "du bloc quebecois": "Bloc Québécois",
    "green party": "Green Party",
    "parti vert": "Green Party",
    "du parti vert": "Green Party",
    "independent": "Independent",
    "independant": "Independent",
    "independante": "Independent",
}


def fold(text: str) -> str:
    """Lower case without accents, single spaces: for matching, never for display."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().lower()


_PROVINCE_LOOKUP = {fold(name): code for code, names in PROVINCES.items() for name in names}
_PROVINCE_LOOKUP.update({code.lower(): code for code in PROVINCES})


def province_code(text: str | None) -> str:
    """'Colombie-Britannique' → 'BC'; '' when the text names no province or territory."""
    return _PROVINCE_LOOKUP.get(fold(text or ""), "")


def caucus_name(text: str | None) -> str:
    """'Conservative Caucus' → 'Conservative'; 'Caucus Nouveau Parti démocratique' → 'New
    Democratic Party'. Unknown caucuses keep their printed name without the word "Caucus"."""
    if not text:
        return ""
    bare = re.sub(r"\bcaucus\b", "", text, flags=re.IGNORECASE).strip(" -–")
    return CAUCUSES.get(fold(bare), bare)


ENGLISH_CAUCUSES = set(CAUCUSES.values())
_ARTICLE = re.compile(r"^(?:la|le|du|de la|l['’])\s*(?=ministre\b)", re.IGNORECASE)


def portfolio_name(text: str, language: str) -> str:
    """A French minister's title without its article: 'la ministre de la Santé' → 'ministre de
    la Santé' (a minister's gender is not another portfolio)."""
    if language != "fr":
        return text
    bare = _ARTICLE.sub("", text.strip())
    return "ministre" + bare[len("ministre") :] if bare.lower().startswith("ministre") else bare
