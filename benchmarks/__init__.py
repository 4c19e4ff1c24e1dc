"""The benchmark suite of issue 5: timings measured next to their floors, never part of the unit tests."""
