"""The service package: build the app with ``create_app`` from ``.main``."""
