"""The importer: one door for every kind of page (petitions and context documents).

page text → parse (`importer.petitions.parse`, `importer.documents.parse`: pure Python, no Django)
→ write (one atomic upsert per page) → derived data (search vectors, reuse fingerprints,
suggestions). `pages.import_any` recognises the page; the `import_petitions` command and the admin
import page (`admin_import`, `import_preview`) are two thin doors onto it.

May import: the domain apps (`petitions`, `responses`, `documents`). Never the pages above it
(`browse`, `publish`, `staff`, `bench`, `config`).
"""
