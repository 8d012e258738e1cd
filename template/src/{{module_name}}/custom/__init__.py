"""Your own HTTP routes and WebSocket packages.

The template renders this package once: ``copier update`` never changes or recreates anything
under ``custom/`` (``_skip_if_exists``), so what you write here never meets a template change.
The app includes ``custom.http.router`` after its own routes and ``custom.packages.router``
with its own packages. Keep your own modules beside these two, or anywhere you like.
"""
