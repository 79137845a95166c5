"""Staff tools: the Django admin of every app (`staff.admin`): hand entry checked by the
importer's rules, the import page (from `importer`), each record's change history.

A Django app without models, so that the admin's autodiscovery finds `staff.admin`.
May import: `importer`, `browse` (the record history) and the domain apps. Never `publish`,
`bench` or `config`.
"""
