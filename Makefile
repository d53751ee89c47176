# The two commands: `make demo` and `make test`. Each sets up .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf .demo-home
	$(BIN)/sanctionwatch --home .demo-home demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench,spark]'
	$(BIN)/python bench/bench_lists.py
	$(BIN)/python bench/bench_screening.py
	$(BIN)/python bench/bench_screening_negative.py
	$(BIN)/python bench/bench_ais_decode.py
	$(BIN)/python bench/bench_ais_ingest.py
	$(BIN)/python bench/bench_simulate.py
	$(BIN)/python bench/bench_accuracy.py
	$(BIN)/python bench/bench_real_traffic.py
	$(BIN)/python bench/bench_detect.py --sizes 1,5,10,50 --spark
	$(BIN)/python bench/bench_movingpandas.py --rows 1000000
	$(BIN)/python bench/bench_linking.py
	$(BIN)/python bench/bench_risk.py
	$(BIN)/python bench/bench_chain.py
	$(BIN)/python bench/bench_risk_eval.py --scenario rajin --seeds 1 2 3 4 5 --days 3 --vessels 60
	$(BIN)/python bench/bench_risk_eval.py --scenario yellow_sea --seeds 3 4 5 --days 3 --vessels 300
	$(BIN)/python bench/bench_portfolio.py --sizes 20000,50000
	$(BIN)/python bench/bench_cases_load.py --mode load --backend both --seconds 60
	$(BIN)/python bench/bench_cases_load.py --mode kill --backend both --kills 3
	$(BIN)/python bench/bench_workspace.py
	$(BIN)/python bench/bench_dossier.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
