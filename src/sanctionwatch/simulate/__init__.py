"""Synthetic AIS traffic with ground truth: ``simulate(out_dir, scenario="rajin", ...)``.

Built-in scenarios (``scenario_names()``): ``rajin`` (Sea of Japan), ``yellow_sea`` (West
Sea, Korea Bay, Bohai; dense) and ``east_china_sea`` (off Shanghai and Zhoushan; sparse).

Vessels sail real sea routes (searoute, mended against land) between real ports (the WPI
gazetteer), report at ITU-R M.1371 intervals, and act out the behaviours sanctions
monitoring looks for: dark periods, ship-to-ship encounters, loitering, port calls, shared
MMSIs, name / flag / IMO changes, draught changes. The run is written as NMEA (tag blocks),
DMA CSV and MarineCadastre CSV, with the truth beside it: every transmitted position
(Parquet) and every injected or derived event (JSON lines). Everything is marked synthetic.
"""

from sanctionwatch.simulate.run import FORMATS, SimulationResult, simulate
from sanctionwatch.simulate.scenario import UnknownScenarioError, load_scenario, scenario_names

__all__ = [
    "FORMATS",
    "SimulationResult",
    "UnknownScenarioError",
    "load_scenario",
    "scenario_names",
    "simulate",
]
