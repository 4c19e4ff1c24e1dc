"""lastmile: a terminal task manager for finishing work. Imports nothing heavy."""

__version__ = "0.1.0"
