"""Baselines for ``python -m tests.harness bench``, served by the rendered project's own venv.

Each module is an app a plain Starlette or FastAPI + SQLModel user would write, run with
``uv run --no-sync uvicorn --app-dir tests/harness/bench_apps MODULE:APP`` inside the rendered
project, so that both sides of a comparison use the same library versions.
"""
