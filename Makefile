# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PERIOD ?= 2026-10
# Every package demo and test install, pinned with hashes (runtime, the test extra, the checks);
# pyproject.toml keeps the ranges for library users. `make lock` rewrites it from pyproject.toml.
LOCK   := requirements.lock
UV_VERSION := 0.13.9

.PHONY: demo test check install bench samples clean chromium libreoffice lock docs catalogue

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A real (non-editable) install, as a user's `pip install .` makes, with the locked versions: the
# lock first, then csbatch alone (--no-deps) built by the locked hatchling (no build isolation).
# It replaces the editable one, so the next `make test` reinstalls that (else tests would run a
# stale copy).
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation .
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

# Editable install with the test and bench extras (all of them in the lock), then the whole suite:
# one pytest-xdist worker per core (at most 4: each may start Chromium or LibreOffice), and the ten
# slowest tests named at the end, so a suite creeping towards CI's 15 minutes shows where.
$(VENV)/.test-installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

test: check $(VENV)/.test-installed chromium libreoffice
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --durations 10

# Static checks, run by `make test` before the suite; each tool reads its settings from
# pyproject.toml. lint-imports: the layers and no cycles (docs/architecture.md); vulture: no dead
# code in src/ (false positives go in vulture_whitelist.py).
check: $(VENV)/.test-installed
	$(BIN)/lint-imports
	$(BIN)/ruff check
	$(BIN)/mypy
	$(BIN)/vulture

# Where a test needs a system package (Chromium for the pages, LibreOffice Calc to print the
# workbooks, each with a Chinese font, without which the output shows boxes) and it is missing and
# we can (apt-get, root), install Debian's packages quietly; a failure never fails `make test`:
# the test then skips and says why. $(call apt_install,COMMAND,PACKAGES,WHICH TESTS)
define apt_install
	@if command -v $(1) >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing $(2) (apt-get) for $(3)..."; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends $(2) >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && \
	    apt-get install -y -qq --no-install-recommends $(2) >/dev/null 2>&1; } || \
	  echo "could not install $(2): $(3) will skip"; \
	fi
endef

chromium:
	$(call apt_install,chromium,chromium fonts-wqy-microhei,the page tests)

libreoffice:
	$(call apt_install,soffice,libreoffice-calc fonts-wqy-microhei,the print test)

# Regenerate the committed sample month (same seed, same files).
samples: $(VENV)/.test-installed
	rm -rf samples/$(PERIOD)
	$(BIN)/csbatch sample $(PERIOD) --out samples/$(PERIOD) --employees 21 --seed 2026

# Regenerate docs/policy.md, docs/inputs.md and docs/outputs.md from the code (a test fails when
# the committed files drift from it).
docs: $(VENV)/.test-installed
	$(BIN)/python scripts/gen_docs.py

# The Chinese catalogue (src/csbatch/locale/zh/LC_MESSAGES/csbatch.po) in step with the code: new
# marked strings added with an empty msgstr to fill in, removed ones dropped (docs/language.md).
catalogue: $(VENV)/.test-installed
	$(BIN)/python scripts/catalogue.py

# The close beside a fastexcel read of the same files on a generated month (500 employees, 100k
# orders unless BENCH_ARGS says otherwise, e.g. "--employees 5000 --orders 1000000 --months 2
# --with-pandas"): seconds, share and peak RSS per stage, and the ratios (README, Speed). The
# `bench` extra (fastexcel) is in the lock with the test extras.
bench: $(VENV)/.test-installed
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Rewrite the lock from pyproject.toml (uv resolves on PyPI for every platform, Python 3.11 up).
# Pins already in the lock stay while they satisfy pyproject.toml; `make lock UV_ARGS=--upgrade`
# moves every package to its newest release.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --universal --python-version 3.11 \
	  --generate-hashes --quiet --custom-compile-command 'make lock' $(UV_ARGS) -o $(LOCK)

clean:
	rm -rf out build dist $(VENV) .pytest_cache
