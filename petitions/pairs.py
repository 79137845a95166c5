"""English and French names of one topic, portfolio or caucus, as real House pages print them.

Applied to the archive by a data migration and used by the importer when it first sees a name:
a page naming one of them gives its entity both names. Ministers' titles are stored without
their article ("la ministre", "du ministre"), so a minister's gender is not another portfolio.
Caucuses are stored as their party's name, as the importer reads the caucus line.
"""

TOPICS = [
    ("Animals", "Animaux"),
    ("Canadian heritage", "Patrimoine canadien"),
    ("Democratic process", "Processus démocratique"),
    ("Environment", "Environnement"),
    ("Environmental protection", "Protection de l'environnement"),
    ("Foreign affairs", "Affaires étrangères"),
    ("Health", "Santé"),
    ("Justice", "Justice"),
    ("Public safety", "Sécurité publique"),
    ("Social affairs and equality", "Affaires sociales et égalité"),
]

PORTFOLIOS = [
    ("Minister of Agriculture and Agri-Food", "ministre de l'Agriculture et de l'Agroalimentaire"),
    ("Minister of Canadian Heritage", "ministre du Patrimoine canadien"),
    ("Minister of Citizenship and Immigration", "ministre de la Citoyenneté et de l'Immigration"),
    ("Minister of Finance", "ministre des Finances"),
    ("Minister of Foreign Affairs", "ministre des Affaires étrangères"),
    ("Minister of Health", "ministre de la Santé"),
    ("Minister of Justice", "ministre de la Justice"),
    (
        "Minister of Justice and Attorney General of Canada",
        "ministre de la Justice et procureur général du Canada",
    ),
    ("Minister of Public Safety", "ministre de la Sécurité publique"),
]

CAUCUSES = [
    ("Bloc Québécois", "Bloc Québécois"),
    ("Conservative", "Conservateur"),
    ("Green Party", "Parti vert"),
    ("Independent", "Indépendant"),
    ("Liberal", "Libéral"),
    ("New Democratic Party", "Nouveau Parti démocratique"),
]

PAIRS = {"topic": TOPICS, "portfolio": PORTFOLIOS, "caucus": CAUCUSES}


def counterpart(kind: str, name: str, language: str) -> str:
    """The other language's name of a known pair ("" when the pair is not known)."""
    for en, fr in PAIRS[kind]:
        if (fr if language == "fr" else en) == name:
            return en if language == "fr" else fr
    return ""


def apply(model, kind: str) -> None:
    """Give the archive's entities of `model` the names of every known pair (a data migration's
    step: it works on historical models too, so it uses no model method)."""
    from django.utils.text import slugify

    from petitions.vocabulary import merge

    for en, fr in PAIRS[kind]:
        english = model.objects.filter(name=en, alias_of__isnull=True).first()
        french = model.objects.filter(name_fr=fr, alias_of__isnull=True).first()
        if english and french and english.pk != french.pk:
            merge(french, english)  # one concept created twice: the French one is an alias
        entity = english or french
        if entity is None:
            continue
        entity.name, entity.name_fr = en, fr
        if not entity.slug_fr:
            slug = slugify(fr)[:180]
            taken = model.objects.exclude(pk=entity.pk).filter(slug_fr=slug).exists()
            taken = taken or model.objects.exclude(pk=entity.pk).filter(slug=slug).exists()
            entity.slug_fr = "" if taken else slug
        entity.save()
