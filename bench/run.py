"""Run every benchmark in bench/ (modules named bench_*.py with a run() -> list[dict]).

Each row: {"name", "value", "unit", "target", "ok"}. Exits 1 when a target is missed.
"""
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.run())
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        mark = "ok  " if row["ok"] else "MISS"
        print(f"{mark} {row['name']:<{width}}  {row['value']:>10.1f} {row['unit']:<3} "
              f"(target < {row['target']} {row['unit']})")
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
