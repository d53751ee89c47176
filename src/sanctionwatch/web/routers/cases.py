"""Team API: cases routes (filled in by the issue-14 work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["cases"])
