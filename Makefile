# One place for commands: people and CI run the same targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GEN := .gen/python
PROTO_SRC := $(shell find proto -name '*.proto' 2>/dev/null)

.PHONY: help install proto run test test-unit lint k8s-validate compose-validate bench clean

help:
	@echo "make run            start the whole platform on embedded defaults with demo data"
	@echo "make test           the full test suite (unit, integration on real servers, browser)"
	@echo "make proto          generate Python/gRPC code from proto/ into $(GEN)"
	@echo "make lint           ruff + buf lint/breaking"
	@echo "make k8s-validate   render deploy/k8s overlays and validate against Kubernetes schemas"
	@echo "make bench          national-scale benchmarks (bench/)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "✗ creating the venv failed: install python3-venv (sudo apt-get install -y python3-venv)"; exit 1; }
	$(PY) -m pip install -q --upgrade "pip>=24" "setuptools>=77,<81" wheel
	$(PY) -m pip install -q -e ".[embedded,dev]"
	@mkdir -p $(GEN)
	@echo "$(CURDIR)/$(GEN)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/esis-generated.pth"
	@touch $(STAMP)

proto: $(GEN)/.stamp

$(GEN)/.stamp: $(STAMP) $(PROTO_SRC) scripts/gen_proto.py
	$(PY) scripts/gen_proto.py
	@touch $@

run: install proto
	$(PY) scripts/devrun.py

test: install proto
	bash scripts/test.sh

test-unit: install proto
	$(PY) -m pytest -q -m "not integration and not browser" -n 2

lint: install proto
	$(VENV)/bin/ruff check .
	bash scripts/buf.sh

k8s-validate: install
	bash scripts/k8s_validate.sh

compose-validate:
	@command -v docker-compose >/dev/null || { echo "✗ install docker-compose (sudo apt-get install -y --no-install-recommends docker-compose)"; exit 1; }
	docker-compose -f docker-compose.yml config -q

bench: install proto
	bash scripts/ensure_infra.sh postgres wrk
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .gen .run .tools test-artifacts
