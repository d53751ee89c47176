"""One router per resource: match, search, health."""
