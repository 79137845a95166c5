"""The petition importer: `parse` (page text → `data` dataclasses, no Django, with `text`,
`sections`, `labels`, `dates`), `write` (one atomic upsert keyed on the petition number, names
normalised by `normalise`) and `derived` (search vector, reuse fingerprints, suggestions).

May import: the domain apps; the parsing modules import no Django (a contract checks it).
"""
