# The two commands of the README: `make demo` and `make test`. Everything they
# need is installed here, into .venv, so that a fresh machine needs nothing else.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint types layers pytest neo4j-start neo4j-stop bench clean schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Load the demo organisation into the embedded store and serve GraphiQL on 127.0.0.1:8000.
demo: $(STAMP)
	$(BIN)/journeykg demo

## Lint, type-check, then run the whole suite against the embedded store and a real Neo4j.
test: $(STAMP) check
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
