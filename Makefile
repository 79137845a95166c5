# The archive's runbook. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The seeds (three petitions, two context documents) and the sample petitions.
SEED_PAGES := fixtures/seeds fixtures/samples

.PHONY: install run dev test lint format lock migrate seed db-stop clean bench bench-http \
	serve-command messages

# How `make run` serves (and `make bench-http` measures): Granian holds every connection in its
# Rust event loop, so idle or slow clients take no Python thread; 2 worker processes run the
# app on 4 threads each. A worker is replaced after 6 hours or once it holds 512 MiB, and
# respawned if it dies; headers not complete within 10 s close the connection.
SERVE = $(VENV)/bin/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 \
	--blocking-threads 4 --workers-lifetime 21600 --workers-max-rss 512 \
	--respawn-failed-workers --http1-header-read-timeout 10000 --no-ws --access-log \
	config.wsgi:application

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# Readable by its owner only (production mode refuses a key file others can read).
.secret-key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

install: $(VENV)/.installed .secret-key
	@chmod 600 .secret-key

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py import_petitions $(SEED_PAGES)

run: seed
	@echo "Production (HTTPS behind a proxy): ARCHIVE_PRODUCTION=1 DJANGO_ALLOWED_HOSTS=… REDIS_URL=… ARCHIVE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https make run (README, Production)"
	$(PY) manage.py build_downloads
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE)

serve-command:
	@echo '$(SERVE)'

dev: seed
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The French catalogue: extract the interface strings into locale/fr/LC_MESSAGES/django.po,
# then compile django.mo (both committed). Needs GNU gettext (apt-get install gettext); CI does not.
messages: install
	$(PY) manage.py makemessages -l fr --no-location --no-wrap --ignore=.venv --ignore=staticfiles \
		--ignore=tests --ignore=bench --ignore='fixtures/*'
	$(PY) manage.py compilemessages -l fr --ignore=.venv

lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -o requirements.lock

db-stop:
	$(PY) manage.py embedded_db stop

clean:
	rm -rf $(VENV) staticfiles

BENCH_PETITIONS ?= 100000

bench: export ARCHIVE_DB_NAME = archive_bench
bench: export ARCHIVE_RATELIMIT = 0
bench: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py synthesize_corpus --petitions $(BENCH_PETITIONS)
	$(PY) manage.py benchmark --memory-export

# Serves the benchmark corpus as `make run` does and loads it with wrk (installed if missing).
BENCH_SECONDS ?= 5
bench-http: export ARCHIVE_DB_NAME = archive_bench
bench-http: install
	command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
	$(PY) manage.py migrate --no-input
	$(PY) manage.py synthesize_corpus --petitions $(BENCH_PETITIONS)
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py bench_http --seconds $(BENCH_SECONDS)
