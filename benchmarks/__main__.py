"""``python -m benchmarks`` runs the same suite as ``python benchmarks/run.py``."""

from benchmarks.run import main

raise SystemExit(main())
