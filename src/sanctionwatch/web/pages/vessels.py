"""Workspace page: vessels (being written)."""

from __future__ import annotations

from sanctionwatch.web.pages.common import page_router

router = page_router(tags=["pages"])
