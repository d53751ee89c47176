"""Writing windows out: NMEA with tag blocks, DMA CSV, MarineCadastre CSV, and Parquet truth.

Each AIS format gets one file per UTC day, named ``synthetic-<scenario>-...`` so that no one
mistakes it for a real feed. Lines are built as byte matrices with numpy and written window
by window: memory follows the window, not the run.

- NMEA (:mod:`.nmea`): ``\\s:<station>,c:<epoch s>*hh\\!AIVDM,...*hh``; type 5 as two
  sentences with ``g:1-2-<id>`` / ``g:2-2-<id>`` group tags. A share of received messages is
  heard a second time by another station (a duplicate: same sentence, different ``s:``),
  and a share of lines is corrupted (bad checksum, or the line cut short). Only NMEA carries
  duplicates and corruption; both are counted in the manifest.
- DMA CSV (:mod:`.csv_files`): the Danish Maritime Authority's columns (``# Timestamp``
  first, dates ``dd/mm/yyyy HH:MM:SS``, static columns on every row), ``Data source type``
  = ``SYNTHETIC``.
- MarineCadastre CSV (:mod:`.csv_files`): NOAA's columns (``BaseDateTime`` ISO, IMO as
  ``IMO1234567``).
- Truth (:mod:`.parquet`): every transmitted position and static report, as Parquet.
"""

from sanctionwatch.simulate.writers.common import DailyFiles, OutputFile, StaticLookup, StaticValues
from sanctionwatch.simulate.writers.csv_files import (
    DMA_HEADER,
    MARINECADASTRE_HEADER,
    DmaWriter,
    MarineCadastreWriter,
)
from sanctionwatch.simulate.writers.nmea import NmeaWriter
from sanctionwatch.simulate.writers.parquet import TruthParquetWriter

__all__ = [
    "DMA_HEADER",
    "MARINECADASTRE_HEADER",
    "DailyFiles",
    "DmaWriter",
    "MarineCadastreWriter",
    "NmeaWriter",
    "OutputFile",
    "StaticLookup",
    "StaticValues",
    "TruthParquetWriter",
]
