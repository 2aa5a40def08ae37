# mmlanim: `make demo` sets up and renders a lecture; `make test` sets up and runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO ?= lectures/linear-algebra/02-changing-basis.yaml
DEMO_QUALITY ?= m
PYTEST_ARGS ?=

.PHONY: setup system-deps browser-deps demo test lint check-lectures docs bench clean

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

# The browser tests of published sites need chromium (playwright drives it; it never downloads one).
browser-deps:
	@bash scripts/install-system-deps.sh --browser

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,voice,cluster]'
	@touch $(STAMP)

demo: setup
	$(VENV)/bin/mmlanim render $(DEMO) -q $(DEMO_QUALITY)

# Lint and type-check first (ruff; mypy, strict on mmlanim/maths and mmlanim/lecture), then the suite.
# pytest exits 5 when it collects nothing: that is a failure here, not a pass.
test: setup browser-deps lint
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests were collected" >&2; fi; exit $$rc

# Every lecture rendered in full at -q m with the real voice (one course render), then measured: does the picture lead
# the words? (scripts/check_sync.py; minutes, so not part of `make test`). Each lecture's folder also
# gets cue-sheet.png: one frame per cue with its words, to look at.
CHECK_QUALITY ?= m
check-lectures: setup
	@set -e; videos=$$($(VENV)/bin/mmlanim render lectures -q $(CHECK_QUALITY) --quiet); folders=""; \
	for v in $$videos; do echo "$$v"; folders="$$folders $$(dirname $$v)"; \
	  $(PY) scripts/cue_sheet.py $$(dirname $$v) $$(dirname $$v)/cue-sheet.png > /dev/null; done; \
	$(PY) scripts/check_sync.py $$folders

lint: setup
	$(VENV)/bin/ruff check mmlanim tests scripts
	$(VENV)/bin/mypy

# `make docs KINDS="kind ..."` also renders those kinds' contact-sheet tiles and control frames.
docs: setup
	$(PY) scripts/gen_docs.py $(if $(KINDS),--pictures $(KINDS))

bench: setup
	$(PY) scripts/bench_maths.py
	$(PY) scripts/bench_render.py
	$(PY) scripts/bench_voice.py

clean:
	rm -rf renders/*/ .pytest_cache
