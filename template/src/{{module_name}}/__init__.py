"""The service package: build the app with ``create_app`` from ``.main``."""

__version__ = "0.1.0"
