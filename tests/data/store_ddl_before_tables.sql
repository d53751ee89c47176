-- The DDL each store executed before its tables were declared in */tables.py (copied
-- verbatim from src/sanctionwatch/ais/store.py SCHEMA_SQL, behaviour/stored.py SCHEMA_SQL and
-- lists/store.py SCHEMA at commit f5a58a9). Homes written then hold these tables; the
-- derived DDL must create exactly them (tests/test_tables.py). Never edit.

-- ==== ais catalogue ====
CREATE TABLE IF NOT EXISTS ingest (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    lines INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    rejected_by_reason TEXT NOT NULL,
    skipped_by_reason TEXT NOT NULL,
    statics INTEGER NOT NULL,
    first_ts INTEGER,
    last_ts INTEGER,
    quarantine TEXT
);
CREATE TABLE IF NOT EXISTS part (
    path TEXT PRIMARY KEY,           -- relative to the store root
    ingest_id INTEGER NOT NULL REFERENCES ingest(id),
    day TEXT NOT NULL,
    rows INTEGER NOT NULL,
    min_mmsi INTEGER NOT NULL,
    max_mmsi INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS part_day ON part(day);
CREATE TABLE IF NOT EXISTS activity (  -- positions per vessel per ingest, for fast listings
    mmsi INTEGER NOT NULL,
    ingest_id INTEGER NOT NULL REFERENCES ingest(id),
    positions INTEGER NOT NULL,
    first_ts INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    PRIMARY KEY (mmsi, ingest_id)
);
CREATE TABLE IF NOT EXISTS identity (
    key TEXT PRIMARY KEY,            -- mmsi:first_seen:JSON of the identity fields
    mmsi INTEGER NOT NULL,
    imo INTEGER,
    name TEXT,
    callsign TEXT,
    ship_type INTEGER,
    length REAL,
    width REAL,
    draught REAL,
    destination TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    first_source TEXT NOT NULL       -- file:line of the first report
);
CREATE INDEX IF NOT EXISTS identity_mmsi ON identity(mmsi, first_seen);
CREATE INDEX IF NOT EXISTS identity_imo ON identity(imo);

-- ==== event store ====
CREATE TABLE IF NOT EXISTS state (
    detector TEXT PRIMARY KEY,
    params TEXT NOT NULL,            -- JSON of the detector's parameters
    ingest_id INTEGER NOT NULL,      -- last ingest included
    data_end INTEGER                 -- last position time then (ms), NULL: no data
);
CREATE TABLE IF NOT EXISTS event (
    detector TEXT NOT NULL,
    mmsi INTEGER NOT NULL,
    other_mmsi INTEGER,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    port TEXT,
    type TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_start ON event(detector, start_ms);

-- ==== list store ====
CREATE TABLE IF NOT EXISTS list_version (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    version TEXT NOT NULL,            -- the list's own publication date (ISO)
    version_source TEXT NOT NULL,     -- content | option | file name | file time | download
    format TEXT NOT NULL,
    files TEXT NOT NULL,              -- JSON list of {name, sha256, bytes}
    content_digest TEXT NOT NULL,     -- over the sorted entity digests: equal content, equal digest
    loaded_at TEXT NOT NULL,
    entity_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    warnings TEXT NOT NULL,           -- JSON list of strings
    UNIQUE (list, version, content_digest)
);
CREATE TABLE IF NOT EXISTS entity_blob (
    digest TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    schema TEXT NOT NULL,
    caption TEXT NOT NULL,
    data TEXT NOT NULL                -- FtM entity as JSON, property values sorted
);
CREATE TABLE IF NOT EXISTS version_entity (
    version_id INTEGER NOT NULL REFERENCES list_version(id),
    entity_id TEXT NOT NULL,
    digest TEXT NOT NULL REFERENCES entity_blob(digest),
    record_id TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (version_id, entity_id)
);
CREATE INDEX IF NOT EXISTS version_entity_record ON version_entity(version_id, record_id);
CREATE TABLE IF NOT EXISTS rejected_row (
    version_id INTEGER NOT NULL REFERENCES list_version(id),
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
