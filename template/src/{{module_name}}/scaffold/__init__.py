"""Scaffolding of your own WebSocket packages: ``python -m <module>.scaffold package NAME``.

It writes a handler module, its schema and a unit test under ``custom/`` and ``tests/unit/``,
adds the package id to ``CustomPkgID`` and new roles to ``CustomRole`` and the realm, and
writes nothing at all when anything it was asked for clashes with what is there.
"""
