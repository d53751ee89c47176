"""Vessel <-> list linking: what ties a vessel seen in AIS to who is sanctioned (issue 13)."""
