# Two entry points (see README): `make report` runs the main job, `make test` the suite.
# Each creates and fills the local virtualenv .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# pdflatex (with booktabs) is installed by .ci/install-tex where apt-get can; otherwise the PDF is skipped, said in one line
report: $(STAMP)
	@bash .ci/install-tex
	$(BIN)/flowalgebra report

# first the import layers (import-linter contracts in setup.cfg), then the suite: doctests, LaTeX
# compilation (pdflatex, skipped with a reason when absent) and the notebooks in notebooks/, executed by
# tests/integration/test_notebooks.py
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n 2 --doctest-modules algebra laws groups tests

bench: $(STAMP)
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) report .pytest_cache .hypothesis
