"""The benchmark corpus, apart from the product: `synthetic` (the synthetic petitions),
`corpus_write` (how they are written), the commands `synthesize_corpus` and `benchmark` that
`make bench` runs, `bench_http` (`make bench-http`, with `httpbench` and `slowclients`) and
`fuzz_http` (with `fuzz`).

A Django app without models (for its commands). May import every product package; none of them
imports it. Only `config` sits above it.
"""
