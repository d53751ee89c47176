"""Linking parameters: the documented defaults in ``linking.toml`` (confidences, the name
threshold, the hull bounds), read once per run."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class LinkingParams:
    imo: float
    mmsi: float
    mmsi_imo_conflict: float
    name_factor: float
    owner: float
    linked_to: float
    threshold: float
    limit: int
    min_length_per_cube_root_gt: float
    max_length_per_cube_root_gt: float
    length_tolerance: float


def load_linking_params() -> LinkingParams:
    text = resources.files("sanctionwatch.linking").joinpath("linking.toml").read_text("utf-8")
    data = tomllib.loads(text)
    confidence, screening, hull = data["confidence"], data["screening"], data["hull"]
    return LinkingParams(
        imo=float(confidence["imo"]),
        mmsi=float(confidence["mmsi"]),
        mmsi_imo_conflict=float(confidence["mmsi_imo_conflict"]),
        name_factor=float(confidence["name_factor"]),
        owner=float(confidence["owner"]),
        linked_to=float(confidence["linked_to"]),
        threshold=float(screening["threshold"]),
        limit=int(screening["limit"]),
        min_length_per_cube_root_gt=float(hull["min_length_per_cube_root_gt"]),
        max_length_per_cube_root_gt=float(hull["max_length_per_cube_root_gt"]),
        length_tolerance=float(hull["length_tolerance"]),
    )
