"""sanctionwatch: open-source sanctions-evasion monitoring.

Screen names against the official sanctions lists, watch vessels at sea, link what is seen to
who is sanctioned, and build the case. See README.md.
"""

__version__ = "0.1.0"
