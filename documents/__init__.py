"""Context documents (news articles and briefing notes): models, search, suggestions
(`similarity`), their own pages (`views`, `urls`, `sitemaps`) and `refresh_suggestions`.

May import: `petitions` (the domain). Never `responses` nor any layer above (importer, browse,
publish, staff, bench, config).
"""
