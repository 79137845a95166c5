"""Government responses, portfolios and signers (models), and the text-reuse fingerprints
(`reuse`) the importer writes and the petition page reads.

May import: `petitions` (the domain). Never `documents` nor any layer above (importer, browse,
publish, staff, bench, config).
"""
