"""The benchmark script runs end to end on tiny sizes; its timings are not checked (they are noisy)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.run import FIGURES

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_prints_and_writes_every_figure(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--json", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for figure in FIGURES:
        assert f"| {figure} " in proc.stdout, figure
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {row["figure"] for row in data["figures"]} == set(FIGURES)
    assert all(row["verdict"] in {"PASS", "MISS", "info"} for row in data["figures"])
