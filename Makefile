# powermap: `make demo` runs the main job on the embedded store, `make test` runs everything.
# Both create the virtualenv (.venv) on first use; `make test` also starts a real Neo4j (scripts/neo4j).

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test lint unit bench-smoke neo4j-start neo4j-stop clean mutation

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 (>= 3.11) is required" >&2; exit 1; }
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install
	$(VENV)/bin/powermap demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: install
	$(VENV)/bin/pytest -q tests/unit powermap

test: install
	scripts/test

bench-smoke: install
	$(PY) -m bench.bench_import --smoke

# Mutation testing: slow (an hour or more on 2 cores), so never part of `make test` or CI. What it mutates
# and which tests it runs are in pyproject.toml ([tool.mutmut]); MUTANTS narrows it, e.g.
# `make mutation MUTANTS='powermap.analysis*'`. Score and the survivors judged harmless: docs/testing.md.
# It runs niced, one mutant at a time (MUTATION_JOBS), each property test on MUTATION_EXAMPLES fixed examples.
MUTATION_JOBS ?= 1
MUTATION_EXAMPLES ?= 10
MUTANTS ?=
mutation: install
	$(PY) -m pip install --quiet "mutmut>=3.3"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" POWERMAP_MUTATION_EXAMPLES=$(MUTATION_EXAMPLES) nice -n 19 $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(VENV)/bin/mutmut results

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants powermap.db* powermap-demo.html
