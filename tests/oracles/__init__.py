"""Reference implementations used only by the tests (and the benchmark's "ranking" figure): plain
in-memory statements of what the package does another way, for the package to be held equal to."""
