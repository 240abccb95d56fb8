# The two commands of the README: `make demo` and `make test`. Everything they
# need is installed here, into .venv, so that a fresh machine needs nothing else.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The browser assets the app serves itself (GraphiQL, Swagger UI, ReDoc): npm
# installs them from the committed lockfile; the files named in vendored.txt
# are copied into the package (web/static/vendor/), so no page needs a CDN.
WEB_ASSETS := web/assets
WEB_VENDOR := web/static/vendor

.PHONY: web-assets browser debian-packages examples demo test check lint types layers pytest neo4j-start neo4j-stop bench clean schema

$(STAMP): pyproject.toml | $(WEB_VENDOR)/.copied
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(WEB_VENDOR)/.copied: $(WEB_ASSETS)/package-lock.json $(WEB_ASSETS)/vendored.txt
	cd $(WEB_ASSETS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(WEB_VENDOR) && mkdir -p $(WEB_VENDOR)
	grep -v '^#' $(WEB_ASSETS)/vendored.txt | while read -r f; do \
	  [ -z "$$f" ] || install -D -m 644 "$(WEB_ASSETS)/node_modules/$$f" "$(WEB_VENDOR)/$$f"; done
	touch $@

web-assets: $(WEB_VENDOR)/.copied

## Debian's chromium for the browser tests (tests/web/), installed only when missing.
browser: debian-packages
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

## Debian's packages the product itself needs, installed only when missing: Graphviz
## (the diagrams) and pango (the board pack's PDF); see the script.
debian-packages:
	@sh tools/debian-packages.sh

## Diagrams of the demo and its board pack in docs/examples/ (tests/test_examples.py holds them).
examples: $(STAMP) debian-packages
	$(BIN)/python tools/examples.py

## Load the demo organisation into the embedded store and serve GraphiQL on 127.0.0.1:8000.
demo: $(STAMP) web-assets debian-packages
	$(BIN)/journeykg demo

## Lint, type-check, then run the whole suite against the embedded store and a real Neo4j
## in two pytest-xdist workers with a Neo4j server each (JOURNEYKG_TEST_WORKERS=1: one process;
## tools/run-tests.sh).
test: $(STAMP) web-assets check browser
	bash tools/run-tests.sh

check: lint types layers

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/python tools/packaged.py mypy

## The one-way layers of ARCHITECTURE.md ([tool.importlinter] in pyproject.toml).
layers: $(STAMP)
	$(BIN)/python tools/packaged.py lint-imports

## Run pytest only; Neo4j tests need JOURNEYKG_NEO4J_URI (or use `make test`).
pytest: $(STAMP)
	$(BIN)/pytest

neo4j-start:
	tools/neo4j/neo4j-server start

neo4j-stop:
	tools/neo4j/neo4j-server stop

clean:
	rm -rf $(VENV) .journeykg .mypy_cache .ruff_cache .pytest_cache

## Regenerate the committed GraphQL schema (a test fails when it drifts).
schema: $(STAMP)
	$(BIN)/python -c "from journeykg.api.schema import build_schema; print(build_schema().as_str())" > api/schema.graphql
