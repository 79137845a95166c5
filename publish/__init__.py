"""Publishing what the archive holds in other forms: CSV and JSON exports of any list
(`exports`, computed by PostgreSQL in `browse.petition_sql`), the whole archive as ready gzipped
files (`downloads`, built by the command `build_downloads`), Atom feeds (`feeds`), the sitemap (`sitemaps`), `/about/data/` and `robots.txt`
(`site_views`), and the archive-wide statistics and charts of `/stats/` (`publish.stats`).

May import: `browse` (the list's selection, filters and paging) and the domain apps
(`petitions`, `responses`, `documents`). Never `importer`, `staff`, `bench` or `config`.
"""
