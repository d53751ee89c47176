"""Sea routes between ports: the searoute network, mended where it cuts across land.

``searoute`` (Apache-2.0) finds the shortest path on a global maritime network, but in the
Sea of Japan its nodes lie hundreds of kilometres apart and it joins a port to the nearest
node with a straight line: straight over a peninsula, or 50 km past the port and back. A
demanding analyst would see ships crossing land, so each route is mended against the
Natural Earth land mask (:mod:`land`):

1. each port is joined to open water (a cell at least ``clearance_cells`` from land) by a
   grid path (A*, 8-connected) through water cells;
2. the searoute legs between those open-water points are kept where they stay clear of
   land and replaced by a grid path where they do not;
3. the path is pulled tight (each waypoint joined to the farthest later one it sees across
   water), which removes the network's detours and the grid's staircase;
4. long legs are split into vertices at most ``step_m`` apart (20 km), so that distances
   along the route (haversine between vertices) follow the path closely.

Positions between vertices are interpolated linearly in latitude and longitude, exactly as
the land check samples them, so a position never lands where the check did not look.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import searoute

from sanctionwatch.geo import haversine_m
from sanctionwatch.simulate.land import LandMask, land_mask

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
LatLon = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """A polyline at sea. ``cum_m[i]`` is the distance in metres from the start to vertex i."""

    lat: FloatArray
    lon: FloatArray
    cum_m: FloatArray

    @property
    def length_m(self) -> float:
        """Total length in metres."""
        return float(self.cum_m[-1])

    def at(self, distance_m: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Latitude, longitude and course over ground (degrees) at distances along the route."""
        distance = np.clip(distance_m, 0.0, self.length_m)
        segment = np.clip(np.searchsorted(self.cum_m, distance, side="right") - 1, 0, None)
        segment = np.minimum(segment, self.cum_m.size - 2)
        span = self.cum_m[segment + 1] - self.cum_m[segment]
        fraction = np.where(span > 0, (distance - self.cum_m[segment]) / np.maximum(span, 1e-9), 0)
        lat = self.lat[segment] + fraction * (self.lat[segment + 1] - self.lat[segment])
        lon = self.lon[segment] + fraction * (self.lon[segment + 1] - self.lon[segment])
        return lat, lon, self.bearings[segment]

    @cached_property
    def bearings(self) -> FloatArray:
        """Initial great-circle bearing of each segment, degrees clockwise from north."""
        return initial_bearing(self.lat[:-1], self.lon[:-1], self.lat[1:], self.lon[1:])

    def extended(self, start: LatLon | None, end: LatLon | None) -> Route:
        """The route with an extra first and/or last vertex (a berth off the port point)."""
        lat, lon, cum = self.lat, self.lon, self.cum_m
        if start is not None:
            first = haversine_m(start[0], start[1], float(lat[0]), float(lon[0]))
            lat = np.concatenate([[start[0]], lat])
            lon = np.concatenate([[start[1]], lon])
            cum = np.concatenate([[0.0], cum + first])
        if end is not None:
            last = haversine_m(float(lat[-1]), float(lon[-1]), end[0], end[1])
            lat = np.concatenate([lat, [end[0]]])
            lon = np.concatenate([lon, [end[1]]])
            cum = np.concatenate([cum, [cum[-1] + last]])
        return Route(lat, lon, cum)

    def reversed(self) -> Route:
        """The same path sailed the other way."""
        return Route(self.lat[::-1].copy(), self.lon[::-1].copy(), self.length_m - self.cum_m[::-1])


def initial_bearing(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Bearing in degrees [0, 360) from point 1 to point 2."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2) - np.asarray(lon1))
    x = np.sin(dlam) * np.cos(phi2)
    y = np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlam)
    return np.asarray(np.degrees(np.arctan2(x, y)) % 360.0, dtype=np.float64)


def polyline(points: list[LatLon], step_m: float = 20_000.0) -> Route:
    """A :class:`Route` through the points, with vertices at most ``step_m`` apart."""
    clean = [points[0]]
    for point in points[1:]:
        if point != clean[-1]:
            clean.append(point)
    if len(clean) == 1:
        clean.append(clean[0])
    lat = np.array([p[0] for p in clean])
    lon = np.array([p[1] for p in clean])
    lengths = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    pieces = np.maximum(1, np.ceil(lengths / step_m)).astype(int)
    dense_lat = [
        np.linspace(lat[i], lat[i + 1], pieces[i], endpoint=False) for i in range(lat.size - 1)
    ]
    dense_lon = [
        np.linspace(lon[i], lon[i + 1], pieces[i], endpoint=False) for i in range(lon.size - 1)
    ]
    out_lat = np.concatenate([*dense_lat, lat[-1:]])
    out_lon = np.concatenate([*dense_lon, lon[-1:]])
    cum = np.concatenate(
        [[0.0], np.cumsum(haversine_m(out_lat[:-1], out_lon[:-1], out_lat[1:], out_lon[1:]))]
    )
    return Route(out_lat, out_lon, cum)


@dataclass
class Router:
    """Builds and caches mended routes (see the module docstring)."""

    mask: LandMask = field(default_factory=land_mask)
    clearance_cells: int = 2  # open water: at least this many cells (about 1.8 km each) off land
    step_m: float = 20_000.0
    cache_size: int = 4096  # routes kept (least recently used dropped): memory stays bounded
    _open: BoolArray = field(init=False, repr=False)
    _water: BoolArray = field(init=False, repr=False)
    _cache: OrderedDict[tuple[LatLon, LatLon], Route] = field(
        init=False, repr=False, default_factory=OrderedDict
    )

    def __post_init__(self) -> None:
        self._water = ~self.mask.land
        self._open = ~self.mask.dilated(self.clearance_cells)

    def route(self, origin: LatLon, destination: LatLon) -> Route:
        """A route at sea from ``origin`` to ``destination`` (latitude, longitude in degrees)."""
        key = (origin, destination)
        route = self._cache.get(key)
        if route is None:
            reverse = self._cache.get((destination, origin))
            if reverse is not None:
                route = reverse.reversed()
            elif self.clear(origin, destination, self._water):
                route = polyline([origin, destination], self.step_m)
            else:
                route = polyline(self._waypoints(origin, destination), self.step_m)
            self._cache[key] = route
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return route

    def is_open_water(self, lat: FloatArray, lon: FloatArray) -> BoolArray:
        """True where a point is ``clearance_cells`` cells or more from land (or off the raster)."""
        return ~self.mask.is_land(lat, lon, ~self._open)

    def clear(self, a: LatLon, b: LatLon, grid: BoolArray | None = None) -> bool:
        """True when the straight (linear in degrees) segment a-b stays on water cells of grid."""
        grid = self._open if grid is None else grid
        cells = self.mask.cells_per_degree
        samples = int(max(abs(a[0] - b[0]), abs(a[1] - b[1])) * cells * 3) + 2
        lat = np.linspace(a[0], b[0], samples)
        lon = np.linspace(a[1], b[1], samples)
        return not bool(self.mask.is_land(lat, lon, ~grid).any())

    def _waypoints(self, origin: LatLon, destination: LatLon) -> list[LatLon]:
        head = self._approach(origin)
        tail = self._approach(destination)[::-1]
        feature = searoute.searoute(
            [head[-1][1], head[-1][0]], [tail[0][1], tail[0][0]], append_orig_dest=True
        )
        network = [(float(lat), float(lon)) for lon, lat in feature["geometry"]["coordinates"]]
        backbone = [head[-1]]
        for a, b in itertools.pairwise(network):
            if self.clear(a, b):
                backbone.append(b)
            else:
                detour = self._grid_path(a, b, self._open) or self._grid_path(a, b, self._water)
                backbone.extend(detour[1:] if detour else [b])
        backbone[-1] = tail[0]
        backbone = self._pull(backbone, self._open)
        return [*head[:-1], *backbone, *tail[1:]]

    def _approach(self, point: LatLon) -> list[LatLon]:
        """From a port point (often on land) to water, then through water to open water."""
        water = self._nearest(point, self._water, radius_cells=12)
        open_water = self._nearest(point, self._open, radius_cells=30)
        if water is None or open_water is None:
            return [point]
        if self.clear(water, open_water, self._water):
            path = [water, open_water]
        else:
            path = self._grid_path(water, open_water, self._water) or [water, open_water]
        return [point, *self._pull(path, self._water)]

    def _nearest(self, point: LatLon, grid: BoolArray, radius_cells: int) -> LatLon | None:
        """Centre of the nearest water cell of grid; the point itself if outside the raster."""
        row, col, inside = self.mask.cell(np.array([point[0]]), np.array([point[1]]))
        if not inside[0]:
            return point
        r, c = int(row[0]), int(col[0])
        if grid[r, c]:
            return point
        r0, r1 = max(0, r - radius_cells), min(grid.shape[0], r + radius_cells + 1)
        c0, c1 = max(0, c - radius_cells), min(grid.shape[1], c + radius_cells + 1)
        rows, cols = np.nonzero(grid[r0:r1, c0:c1])
        if rows.size == 0:
            return None
        lat = self.mask.lat_min + (rows + r0 + 0.5) / self.mask.cells_per_degree
        lon = self.mask.lon_min + (cols + c0 + 0.5) / self.mask.cells_per_degree
        best = int(np.argmin(haversine_m(point[0], point[1], lat, lon)))
        return float(lat[best]), float(lon[best])

    def _pull(self, points: list[LatLon], grid: BoolArray) -> list[LatLon]:
        """Join each waypoint to the farthest later one it sees across water."""
        if len(points) <= 2:
            return points
        out = [points[0]]
        i = 0
        while i < len(points) - 1:
            j = len(points) - 1
            while j > i + 1 and not self.clear(points[i], points[j], grid):
                j -= 1
            out.append(points[j])
            i = j
        return out

    def _grid_path(self, a: LatLon, b: LatLon, grid: BoolArray) -> list[LatLon] | None:
        """Shortest 8-connected path over water cells of grid (A*), in a window around a, b."""
        for margin_degrees in (1.0, 3.0):
            path = self._astar(a, b, grid, margin_degrees)
            if path is not None:
                return path
        return None

    def _astar(self, a: LatLon, b: LatLon, grid: BoolArray, margin: float) -> list[LatLon] | None:
        mask = self.mask
        cells = mask.cells_per_degree
        rows, cols, inside = mask.cell(np.array([a[0], b[0]]), np.array([a[1], b[1]]))
        if not inside.all():
            return None
        pad = int(margin * cells)
        r0 = max(0, int(rows.min()) - pad)
        r1 = min(grid.shape[0], int(rows.max()) + pad + 1)
        c0 = max(0, int(cols.min()) - pad)
        c1 = min(grid.shape[1], int(cols.max()) + pad + 1)
        window = grid[r0:r1, c0:c1]
        height, width = window.shape
        start = (int(rows[0]) - r0) * width + int(cols[0]) - c0
        goal = (int(rows[1]) - r0) * width + int(cols[1]) - c0
        passable = window.ravel().tolist()
        if not (passable[start] and passable[goal]):
            return None
        dy = 111_195.0 / cells  # metres per cell north-south
        dx_row = [
            dy * math.cos(math.radians(mask.lat_min + (r0 + r + 0.5) / cells))
            for r in range(height)
        ]
        dx_min = min(dx_row)
        goal_r, goal_c = divmod(goal, width)

        def estimate(node: int) -> float:
            r, c = divmod(node, width)
            return math.hypot((r - goal_r) * dy, (c - goal_c) * dx_min)

        best = {start: 0.0}
        parent = {start: start}
        frontier = [(estimate(start), start)]
        moves = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]
        while frontier:
            _, node = heapq.heappop(frontier)
            if node == goal:
                break
            r, c = divmod(node, width)
            cost = best[node]
            for move_r, move_c in moves:
                nr, nc = r + move_r, c + move_c
                if not (0 <= nr < height and 0 <= nc < width):
                    continue
                neighbour = nr * width + nc
                if not passable[neighbour]:
                    continue
                step = math.hypot(move_r * dy, move_c * dx_row[r])
                new_cost = cost + step
                if new_cost < best.get(neighbour, math.inf):
                    best[neighbour] = new_cost
                    parent[neighbour] = node
                    heapq.heappush(frontier, (new_cost + estimate(neighbour), neighbour))
        if goal not in parent:
            return None
        chain = [goal]
        while chain[-1] != start:
            chain.append(parent[chain[-1]])
        chain.reverse()
        # Keep only the cells where the direction changes: the pull removes the rest.
        corners = [chain[0]]
        for before, here, after in zip(chain, chain[1:], chain[2:], strict=False):
            if here - before != after - here:
                corners.append(here)
        corners.append(chain[-1])
        path = [mask.centre(r0 + node // width, c0 + node % width) for node in corners]
        path[0], path[-1] = a, b
        return self._pull(path, grid)
