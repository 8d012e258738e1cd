"""The AsyncAPI 3.0 document of the WebSocket protocol, built from the app's package router.

``python -m <package>.ws.asyncapi [--output FILE]`` writes it; the app serves it at
``/asyncapi.json``.
"""
