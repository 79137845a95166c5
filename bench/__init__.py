"""The benchmark corpus, apart from the product: `synthetic` (the synthetic petitions) and the
commands `synthesize_corpus` and `benchmark` that `make bench` runs.

A Django app without models (for its commands). May import every product package; none of them
imports it. Only `config` sits above it.
"""
