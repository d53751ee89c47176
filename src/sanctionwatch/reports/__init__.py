"""Evidence dossiers: a case as a report whose every fact carries its source (PDF through
Typst, HTML, a manifest of SHA-256 digests, and exports in FtM, GeoJSON and CSV)."""
