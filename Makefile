# The two commands of the README, and the checks CI runs.
.PHONY: run test lint check

run:
	bash scripts/run

test:
	bash scripts/test $(ARGS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

check:
	.venv/bin/python manage.py makemigrations --check --dry-run
