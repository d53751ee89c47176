// The workspace map (templates/partials/map.html): every element with class "sw-map" gets a
// MapLibre map of the JSON at its data-map-url (routers/maps.py documents the format).
// Offline base map: Natural Earth land from this server; a raster tile layer only when the
// operator configured one (data-tile-url). Tracks are coloured by speed, gaps dashed, events
// and watched ports are circles with popups, transfer zones are polygons; the time slider
// with play/pause moves one marker per vessel, interpolated at the slider's time, all
// vessels on one time axis. Names are untrusted (AIS, lists): popups use setText, never
// setHTML, and nothing here builds HTML from data.
import * as maplibregl from "/static/vendor/maplibre-gl/maplibre-gl.mjs";

const SPEED_SLOW = "#2166ac";
const SPEED_MID = "#4dac26";
const SPEED_FAST = "#d6604d";
const SPEED_UNKNOWN = "#7b8794";
const EVENT_COLOURS = [
  "match", ["get", "type"],
  "encounter", "#a4161a",
  "port_call", "#1d6fa5",
  "loitering", "#8a5300",
  "gap", "#6c757d",
  "identity", "#5a189a",
  "draught_change", "#2b8a3e",
  "#495057",
];
const PLAY_SECONDS = 30; // a whole window plays in this long
const SLIDER_STEPS = 1000; // arrow keys move a thousandth of the window, Page Up/Down a tenth
const LAYER_GROUPS = {
  events: ["events"],
  ports: ["ports", "port-labels"],
  zones: ["zones-fill", "zones-line"],
};

window.swMaps = window.swMaps || [];

function speedClass(sog) {
  if (sog === null || sog === undefined) return -1;
  if (sog < 5) return 0;
  if (sog < 12) return 1;
  return 2;
}

function utc(seconds) {
  if (seconds === null || seconds === undefined) return "";
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function feature(geometry, properties) {
  return { type: "Feature", geometry, properties };
}

// Each vessel's track as runs of one speed class (one line each, so a 20,000-point track is
// a few hundred features), and its gaps (segments i -> i+1 in "breaks") as dashed lines.
function trackFeatures(vessels) {
  const lines = [];
  const gaps = [];
  for (const v of vessels) {
    const { t, lon, lat, sog } = v.track;
    const breaks = new Set(v.breaks);
    let run = [];
    let runClass = null;
    let runSog = [];
    const flush = () => {
      if (run.length > 1) {
        const known = runSog.filter((s) => s !== null);
        const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : -1;
        lines.push(feature({ type: "LineString", coordinates: run },
          { mmsi: v.mmsi, sog: runClass === -1 ? -1 : mean }));
      }
    };
    for (let i = 0; i < t.length; i++) {
      const here = [lon[i], lat[i]];
      const cls = speedClass(sog[i]);
      if (i > 0 && breaks.has(i - 1)) {
        flush();
        gaps.push(feature({ type: "LineString", coordinates: [[lon[i - 1], lat[i - 1]], here] },
          { mmsi: v.mmsi }));
        run = [here];
        runClass = cls;
        runSog = [sog[i]];
        continue;
      }
      if (runClass !== null && cls !== runClass) {
        run.push(here); // the run ends where the next begins: no hole in the line
        flush();
        run = [here];
        runSog = [sog[i]];
        runClass = cls;
        continue;
      }
      run.push(here);
      runSog.push(sog[i]);
      runClass = cls;
    }
    flush();
  }
  return { lines, gaps };
}

function collection(features) {
  return { type: "FeatureCollection", features };
}

// Where each vessel is at time ``now`` (seconds): interpolated between the two track points
// around it; none before its first point or after its last; "dark" inside a gap.
function positionsAt(vessels, now) {
  const out = [];
  for (const v of vessels) {
    const { t, lon, lat } = v.track;
    const n = t.length;
    if (!n || now < t[0] || now > t[n - 1]) continue;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t[mid] <= now) lo = mid; else hi = mid;
    }
    const span = t[hi] - t[lo];
    const f = span > 0 ? (now - t[lo]) / span : 0;
    const x = lon[lo] + (lon[hi] - lon[lo]) * f;
    const y = lat[lo] + (lat[hi] - lat[lo]) * f;
    out.push({ mmsi: v.mmsi, name: v.name, lon: x, lat: y, dark: v.breaks.includes(lo) && f > 0 });
  }
  return out;
}

function bounds(vessels, events) {
  const b = new maplibregl.LngLatBounds();
  let any = false;
  for (const v of vessels) {
    for (let i = 0; i < v.track.t.length; i++) {
      b.extend([v.track.lon[i], v.track.lat[i]]);
      any = true;
    }
  }
  for (const e of events) {
    b.extend([e.lon, e.lat]);
    any = true;
  }
  return any ? b : null;
}

function baseStyle(tileUrl) {
  const sources = { land: { type: "geojson", data: "/static/geo/land-50m.geojson" } };
  const layers = [{ id: "sea", type: "background", paint: { "background-color": "#dbe7f0" } }];
  if (tileUrl) {
    sources.tiles = { type: "raster", tiles: [tileUrl], tileSize: 256 };
    layers.push({ id: "tiles", type: "raster", source: "tiles" });
    layers.push({ id: "land-line", type: "line", source: "land",
      paint: { "line-color": "#8f8a7a", "line-width": 0.6 } });
  } else {
    layers.push({ id: "land", type: "fill", source: "land", paint: { "fill-color": "#f3f1ea" } });
    layers.push({ id: "land-line", type: "line", source: "land",
      paint: { "line-color": "#b9b3a2", "line-width": 0.6 } });
  }
  return { version: 8, sources, layers };
}

function addLayers(map, data) {
  const { lines, gaps } = trackFeatures(data.vessels);
  const events = data.events.map((e) => feature({ type: "Point", coordinates: [e.lon, e.lat] },
    { id: e.id, type: e.type, text: e.text, start: e.start, end: e.end }));
  const ports = data.layers.ports.map((p) => feature({ type: "Point", coordinates: [p.lon, p.lat] },
    { name: p.name, country: p.country }));
  map.addSource("zones", { type: "geojson", data: data.layers.zones });
  map.addSource("tracks", { type: "geojson", data: collection(lines) });
  map.addSource("gaps", { type: "geojson", data: collection(gaps) });
  map.addSource("events", { type: "geojson", data: collection(events) });
  map.addSource("ports", { type: "geojson", data: collection(ports) });
  map.addSource("positions", { type: "geojson", data: collection([]) });
  map.addLayer({ id: "zones-fill", type: "fill", source: "zones",
    paint: { "fill-color": "#f2c14e", "fill-opacity": 0.22 } });
  map.addLayer({ id: "zones-line", type: "line", source: "zones",
    paint: { "line-color": "#a07c00", "line-width": 1.2 } });
  map.addLayer({ id: "gaps", type: "line", source: "gaps",
    paint: { "line-color": "#333333", "line-width": 2, "line-dasharray": [2, 2] } });
  map.addLayer({ id: "tracks", type: "line", source: "tracks",
    layout: { "line-join": "round", "line-cap": "round" },
    paint: {
      "line-width": 3,
      "line-color": ["step", ["get", "sog"], SPEED_UNKNOWN, 0, SPEED_SLOW, 5, SPEED_MID, 12, SPEED_FAST],
    } });
  map.addLayer({ id: "ports", type: "circle", source: "ports",
    paint: { "circle-radius": 5, "circle-color": "#12355b", "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5 } });
  map.addLayer({ id: "port-labels", type: "symbol", source: "ports",
    layout: { "text-field": ["get", "name"], "text-size": 11, "text-offset": [0, 1.1],
      "text-anchor": "top" },
    paint: { "text-color": "#12355b", "text-halo-color": "#ffffff", "text-halo-width": 1.2 } });
  map.addLayer({ id: "events", type: "circle", source: "events",
    paint: { "circle-radius": 6, "circle-color": EVENT_COLOURS, "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5 } });
  map.addLayer({ id: "positions", type: "circle", source: "positions",
    paint: { "circle-radius": 7, "circle-color": ["case", ["get", "dark"], "#ffffff", "#111111"],
      "circle-stroke-color": ["case", ["get", "dark"], "#111111", "#ffffff"],
      "circle-stroke-width": 2.5 } });
}

function popupOn(map, layer, textOf) {
  map.on("click", layer, (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    new maplibregl.Popup({ closeButton: true, maxWidth: "320px" })
      .setLngLat(e.lngLat)
      .setText(textOf(f.properties))
      .addTo(map);
  });
  map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
}

function eventText(p) {
  const when = p.end ? `${utc(p.start)} to ${utc(p.end)}` : `${utc(p.start)}`;
  return `${p.text} (${when})`;
}

function setup(element) {
  const block = element.closest(".sw-map-block") || element.parentElement;
  const status = block.querySelector(".map-status");
  const play = block.querySelector(".map-play");
  const slider = block.querySelector(".map-time");
  const now = block.querySelector(".map-now");
  const map = new maplibregl.Map({
    container: element,
    style: baseStyle(element.dataset.tileUrl),
    center: [127, 39],
    zoom: 4,
    attributionControl: { customAttribution: "Natural Earth" },
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl());
  let vessels = [];
  let current = [];
  let playing = false;
  let lastFrame = null;
  let start = 0; // the slider runs over [start, end] seconds in SLIDER_STEPS steps
  let end = 0;
  let time = 0;

  const show = (seconds) => {
    time = Math.min(end, Math.max(start, seconds));
    current = positionsAt(vessels, time);
    const source = map.getSource("positions");
    if (source) {
      source.setData(collection(current.map((p) => feature(
        { type: "Point", coordinates: [p.lon, p.lat] }, { mmsi: p.mmsi, dark: p.dark }))));
    }
    slider.value = String(end > start ? Math.round(((time - start) / (end - start)) * SLIDER_STEPS) : 0);
    now.textContent = utc(time);
    slider.setAttribute("aria-valuetext", utc(time));
  };
  const stop = () => {
    playing = false;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  };
  const frame = (stamp) => {
    if (!playing) return;
    const step = lastFrame === null ? 0 : ((stamp - lastFrame) / 1000) * ((end - start) / PLAY_SECONDS);
    lastFrame = stamp;
    show(time + step);
    if (time >= end) { stop(); return; }
    requestAnimationFrame(frame);
  };
  play.addEventListener("click", () => {
    if (playing) { stop(); return; }
    if (time >= end) show(start);
    playing = true;
    lastFrame = null;
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    requestAnimationFrame(frame);
  });
  slider.addEventListener("input", () => {
    show(start + ((end - start) * Number(slider.value)) / SLIDER_STEPS);
  });
  for (const box of block.querySelectorAll(".map-layer")) {
    box.addEventListener("change", () => {
      for (const id of LAYER_GROUPS[box.value] || []) {
        if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", box.checked ? "visible" : "none");
      }
    });
  }

  const data = fetch(element.dataset.mapUrl, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  }).then((r) => {
    if (!r.ok) throw new Error(`the map data answered ${r.status}`);
    return r.json();
  });
  map.on("load", () => {
    data.then((d) => {
      vessels = d.vessels;
      addLayers(map, d);
      popupOn(map, "events", eventText);
      popupOn(map, "ports", (p) => `Watched port: ${p.name} (${p.country})`);
      popupOn(map, "zones-fill", (p) => `Transfer zone: ${p.name}. ${p.source}`);
      const times = vessels.flatMap((v) => (v.track.t.length ? [v.track.t[0], v.track.t[v.track.t.length - 1]] : []));
      if (times.length) {
        start = Math.min(...times);
        end = Math.max(...times);
        slider.max = String(SLIDER_STEPS);
        slider.disabled = false;
        play.disabled = false;
        show(start);
      }
      const box = bounds(vessels, d.events);
      if (box) map.fitBounds(box, { padding: 40, maxZoom: 11, duration: 0 });
      const points = d.decimation.points;
      const from = d.decimation.decimated_from;
      status.textContent = `${vessels.length} vessel(s), ${d.events.length} event(s); ` +
        (points < from ? `${points} of ${from} positions drawn (thinned for speed).` : `${from} positions.`);
      map.once("idle", () => { element.dataset.mapReady = "true"; });
    }).catch((err) => {
      status.textContent = `The map data could not be loaded: ${err.message}`;
      element.dataset.mapReady = "error";
    });
  });
  window.swMaps.push({
    map,
    element,
    positions: () => current.map((p) => [p.mmsi, p.lon, p.lat]),
  });
}

for (const element of document.querySelectorAll(".sw-map")) setup(element);
