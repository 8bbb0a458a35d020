# The two commands users need: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= data
PORT   ?= 8501
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install browser prepare ingest ui clean-data bench

run: ingest
	$(BIN)/yingji ui --data-dir $(DATA) --port $(PORT)

test: install browser
	$(BIN)/python -m pytest -q

install: $(STAMP)

# torch is installed first, pinned, so nothing can pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# The browser test drives Debian's chromium (no browser download from Playwright's CDN);
# a CJK font so the screenshot shows Chinese text instead of empty boxes.
browser:
	@{ command -v chromium && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  echo "installing Debian chromium and a CJK font for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

prepare: install
	$(BIN)/yingji prepare --data-dir $(DATA)

ingest: prepare
	$(BIN)/yingji ingest corpus --data-dir $(DATA)

bench: install
	@test -d $(DATA) || { echo "make bench: no data dir $(DATA); run make ingest first"; exit 2; }
	$(BIN)/python bench/ask.py --data-dir $(DATA) --qa corpus/eval/dev_qa.jsonl
	$(BIN)/python bench/ingest.py

clean-data:
	-$(BIN)/yingji server stop --data-dir $(DATA)
	rm -rf $(DATA)
