# The template's own tasks. `uv` comes from PATH, or from pip when missing.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
DEST ?= ../my-service
# REF: the template version to render (a tag, or HEAD for unreleased work); default: the latest
# release, or HEAD when there is none. The project records this checkout as its source, so
# `copier update` there pulls later releases from it.
REF ?=

.DEFAULT_GOAL := help
.PHONY: help uv render bootstrap test test-fast lint docs

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

uv:
	@command -v uv >/dev/null || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.9"

render: uv ## Render the latest release with the default answers into DEST (default ../my-service)
	$(UV) run copier copy --trust --defaults $(if $(REF),--vcs-ref $(REF)) "$(CURDIR)" $(DEST)

bootstrap: ## Install the Debian packages, uv, Keycloak and the compose checker the tests need
	bash scripts/bootstrap.sh

test: bootstrap ## Run every template test: render and update layers (three at a time), then boot
	$(UV) run --no-sync pytest -m "not boot" -n 3
	$(UV) run --no-sync pytest -m boot

test-fast: uv ## The render layer and unit tests only (no services)
	$(UV) run pytest -m "not boot"

lint: uv ## Lint the template's own Python (extensions and tests)
	$(UV) run ruff check
	$(UV) run ruff format --check
	$(UV) run mypy

docs: uv ## Build the documentation site strictly into site/ (uv run mkdocs serve to browse it)
	NO_MKDOCS_2_WARNING=1 $(UV) run mkdocs build --strict
