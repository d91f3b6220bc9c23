"""The daily sweep on the large data set: time and peak memory of a whole process.

Each run copies the cached data set, so every sweep starts from an empty outbox.
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import AS_OF, large_dataset, main, run_child

TARGET_SECONDS, TARGET_MB = 2.0, 200


def _child() -> None:
    import resource
    import time
    from datetime import date

    from taskboard import create_app
    from taskboard.followup.services import run_sweep

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        result = run_sweep(date.fromisoformat(AS_OF))
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, **result}))


def run() -> list[dict]:
    source = large_dataset()
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "sweep.db"
        shutil.copyfile(source, database)
        measured = run_child(__file__, database)
    created = measured["notifications_created"]
    return [
        {"name": f"sweep as of {AS_OF} ({created} notifications created)",
         "value": measured["seconds"] * 1000, "unit": "ms", "target": TARGET_SECONDS * 1000,
         "ok": measured["seconds"] < TARGET_SECONDS},
        {"name": "sweep process peak RSS", "value": measured["peak_mb"], "unit": "MB",
         "target": TARGET_MB, "ok": measured["peak_mb"] < TARGET_MB},
    ]


if __name__ == "__main__":
    main(run, _child)
