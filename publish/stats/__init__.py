"""`/stats/`: petitions per year by topic, response times, portfolios and overdue petitions
(`stats` computes, `charts` draws inline SVG, `views` serves the page and its CSVs).

May import: `browse` (the cache key of the facet counts) and the domain apps.
"""
