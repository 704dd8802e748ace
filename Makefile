# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PERIOD ?= 2026-10

.PHONY: demo test install bench samples clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A real (non-editable) install: what a user gets from `pip install .`. It replaces the
# editable one, so the next `make test` reinstalls that (else tests would run a stale copy).
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	rm -f $(VENV)/.test-installed

demo: install
	rm -rf out
	$(BIN)/csbatch monthly-close $(PERIOD) --inputs samples/$(PERIOD) --out out
	@echo "--- the same close again is refused (the ledger holds $(PERIOD)):"
	-$(BIN)/csbatch monthly-close $(PERIOD) --inputs samples/$(PERIOD) --out out
	@echo "--- written:"
	@find out -type f | sort

# Editable install with the test extras, then the whole suite.
$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q

# Regenerate the committed sample month (same seed, same files).
samples: $(VENV)/.test-installed
	rm -rf samples/$(PERIOD)
	$(BIN)/csbatch sample $(PERIOD) --out samples/$(PERIOD) --employees 20 --seed 2026

# Times the close on a generated month (2,000 employees, a million orders) and prints a table.
bench: $(VENV)/.test-installed
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf out build dist $(VENV) .pytest_cache
