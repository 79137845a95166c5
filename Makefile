# The archive's runbook. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The seeds (three petitions, two context documents) and the sample petitions.
SEED_PAGES := fixtures/seeds fixtures/samples

.PHONY: install run dev test lint format lock migrate seed db-stop clean bench messages

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

.secret-key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

install: $(VENV)/.installed .secret-key

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py import_petitions $(SEED_PAGES)

run: seed
	$(PY) manage.py build_downloads
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --worker-class gthread \
		--threads 4 --access-logfile -

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
bench: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py synthesize_corpus --petitions $(BENCH_PETITIONS)
	$(PY) manage.py benchmark --memory-export
