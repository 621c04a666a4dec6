# The two commands of the README, and the checks CI runs.
.PHONY: run test lint check fuzz

run:
	bash scripts/run

test:
	bash scripts/test $(ARGS)

# schemathesis against the whole API, 100 examples per operation, as a manager
# and as an admin (tests/test_api_fuzz.py; CI runs 25).
fuzz:
	FUZZ_EXAMPLES=100 bash scripts/test -q tests/test_api_fuzz.py $(ARGS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

check:
	.venv/bin/python manage.py makemigrations --check --dry-run
