"""Browsing the archive: the petition pages (home, the list, a petition and its JSON twin, topics,
ministers, members, the 404 page) and what they are built from: the list's filters
(`filters`), facet counts (`facets`), paging and search snippets (`listing`), the public record
history (`history`), citations (`citations`) and a petition's JSON, built in Python
(`serialize`) and by PostgreSQL (`petition_sql`: the JSON twin and every export).

May import: only the domain apps (`petitions`, `responses`, `documents`, whose
own pages it shows beside the petitions). Never `publish`, `staff`, `bench` or `config`.
"""
