# pcc-commissioning: `make run` starts the demo, `make test` runs every test. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address e-mail links point at: the demo server's own unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)
export PYTHONPATH := src

.DEFAULT_GOAL := help

.PHONY: help install assets run serve demo-data test test-fast lint format bench totp clean

help: ## List what this Makefile can do
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,s3]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 or newer (with npm) is needed to build the front-end assets."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

src/commissioning/static/build/app.css: node_modules/.installed src/commissioning/static_src/app.scss
	npm run --silent build

install: $(STAMP) assets ## Create .venv, install Python and front-end dependencies

assets: src/commissioning/static/build/app.css ## Build the stylesheet from GOV.UK Frontend

demo-data: install ## Migrate the embedded database and load the five offices and demo data
	@mkdir -p var
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_pack --all
	COMMISSIONING_DEMO=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo

run: demo-data ## Start the product with demo data and its worker on http://127.0.0.1:8000 (PORT=8101 for another port)
	@echo "Serving http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both); links in e-mails point at $(SITE_URL)"
	COMMISSIONING_DEMO=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py serve $(HOST):$(PORT)

serve: install ## Run as production does: gunicorn, whitenoise and the task worker, DEBUG off, against DATABASE_URL (docs/operations.md)
	PYTHON=$(BIN)/python bash scripts/serve

test: install ## Run the whole test suite (DATABASE_URL selects PostgreSQL)
	@bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest --durations=15 $(PYTEST_ARGS)

test-fast: install ## Run the tests without the browser
	$(BIN)/python -m pytest -m "not browser" --durations=15 $(PYTEST_ARGS)

lint: install ## Check style and common mistakes with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Measure the figures the issues ask for; writes bench-results.json
	$(BIN)/python benchmarks/run.py

totp: ## Print a demo user's current sign-in code: make totp EMAIL=officer@essex.example
	@COMMISSIONING_DEMO=1 $(BIN)/python manage.py totp_code $(EMAIL)

clean: ## Remove the virtual environment, node modules, built assets and the demo database
	rm -rf $(VENV) node_modules src/commissioning/static/build var test-artifacts
