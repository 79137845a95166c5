"""The domain of petitions, at the bottom of the layers: the models (petitions, their parts,
topics, MPs, provenance), their QuerySets, choices, parliaments and sessions, the search vector
(`search`) and the COPY helper for bulk writes (`bulk`).

May import: Django and nothing else of the archive (the responses app builds on this one).
"""
