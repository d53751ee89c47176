"""The HTTP API: yente-compatible screening (``/match``, ``/search``) over the embedded index.

Thin by design: routers parse and format, the screening engine decides. Start it with
``sanctionwatch serve``; build it from Python with :func:`sanctionwatch.web.app.create_app`.
"""
