# Quartieri: two commands do all the set-up on a fresh machine.
#   make run   – environment, SQLite database, demo data and users, server on :8000
#   make test  – every test (set DATABASE_URL to run them on PostgreSQL)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test venv migrate demo messages lint check-deploy clean serve worker backup restore scale-data bench loadtest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

# The compiled catalogues are committed; recompile them when gettext is installed.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null && [ -d locale ]; then $(PY) manage.py compilemessages --ignore=.venv -v0; fi

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: demo messages
	@echo "Quartieri: http://$(HOST)/"
	$(PY) manage.py runserver $(HOST)

test: $(STAMP) messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=quartieri.example.it DATABASE_URL=$${DATABASE_URL:-postgres://quartieri@127.0.0.1:5432/quartieri} \
	$(PY) manage.py check --deploy --fail-level WARNING

# Production server (environment as in docs/operations.md): static files, migrations, gunicorn.
serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# Background worker for reports and imports (django-tasks database queue), next to serve.
worker: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py db_worker

# make backup ARCHIVE=/var/backups/quartieri.tar.gz ; make restore ARCHIVE=...
backup: $(STAMP)
	$(PY) manage.py backup_data $(ARCHIVE)
restore: $(STAMP)
	$(PY) manage.py restore_data $(ARCHIVE) --yes

# Benchmarks (docs/performance.md): a dedicated PostgreSQL database, never the real one.
SCALE_DB ?= postgres://postgres@127.0.0.1:5432/quartieri_scale
PROJECTS ?= 100
scale-data: $(STAMP)
	DATABASE_URL=$(SCALE_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(SCALE_DB) $(PY) manage.py generate_scale_data --projects $(PROJECTS)
bench: $(STAMP)
	DATABASE_URL=$(SCALE_DB) $(PY) bench/pages.py --write-docs
loadtest: $(STAMP)
	DATABASE_URL=$(SCALE_DB) bench/loadtest.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
