"""The context-document importer: `parse` (page text → `data`, no Django, reusing the petition
parser's decoder and dates), `write` (one atomic upsert keyed on the slug) and `derived`
(search vector, distinctive words, suggestions).

May import: the domain apps and `importer.petitions`; the parsing modules import no Django.
"""
