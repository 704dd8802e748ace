# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PERIOD ?= 2026-10

.PHONY: demo test install bench samples clean chromium docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A real (non-editable) install: what a user gets from `pip install .`. It replaces the
# editable one, so the next `make test` reinstalls that (else tests would run a stale copy).
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	rm -f $(VENV)/.test-installed

# --allow-dirty: the demo closes sample data, so a local edit of config/ (refused by a real close
# until committed) is shown as a warning instead of stopping the demo.
demo: install
	rm -rf out
	$(BIN)/csbatch monthly-close $(PERIOD) --inputs samples/$(PERIOD) --out out --allow-dirty
	@echo "--- the same close again is refused (the ledger holds $(PERIOD)):"
	-$(BIN)/csbatch monthly-close $(PERIOD) --inputs samples/$(PERIOD) --out out
	@echo "--- written:"
	@find out -type f | sort

# Editable install with the test extras, then the whole suite.
$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

test: $(VENV)/.test-installed chromium
	$(BIN)/python -m pytest -q

# The VIP statement test renders a statement in headless Chromium. Where Chromium (or a Chinese
# font, without which the screenshot shows boxes) is missing and we can (apt-get, root), install
# Debian's packages quietly; a failure never fails `make test`: the test then skips and says why.
CHROMIUM_PKGS := chromium fonts-wqy-microhei

chromium:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing $(CHROMIUM_PKGS) (apt-get) for the VIP statement test..."; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends $(CHROMIUM_PKGS) >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && \
	    apt-get install -y -qq --no-install-recommends $(CHROMIUM_PKGS) >/dev/null 2>&1; } || \
	  echo "could not install $(CHROMIUM_PKGS): the statement test will skip or render without a Chinese font"; \
	fi

# Regenerate the committed sample month (same seed, same files).
samples: $(VENV)/.test-installed
	rm -rf samples/$(PERIOD)
	$(BIN)/csbatch sample $(PERIOD) --out samples/$(PERIOD) --employees 20 --seed 2026

# Regenerate docs/policy.md, docs/inputs.md and docs/outputs.md from the code (a test fails when
# the committed files drift from it).
docs: $(VENV)/.test-installed
	$(BIN)/python scripts/gen_docs.py

# Times the close on a generated month (2,000 employees, a million orders) and prints a table.
bench: $(VENV)/.test-installed
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf out build dist $(VENV) .pytest_cache
