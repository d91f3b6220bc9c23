"""Run every benchmark in bench/ (modules named bench_*.py with a run() -> list[dict]).

Each row: {"name", "value", "unit", "target", "ok"}, and "higher": True when the target is a
floor (requests/s) rather than a ceiling. A module may also fill a FIGURES dict with what it
measured beyond its targets. Everything goes to bench/results.json with the machine's name.
Exits 1 when a target is missed, saying by how much.
"""
import importlib.util
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _line(row: dict) -> str:
    higher = row.get("higher", False)
    sign = "≥" if higher else "≤" if row["unit"] in ("×", "") else "<"
    text = f"{row['value']:>10.1f} {row['unit']:<3} (target {sign} {row['target']} {row['unit']})"
    if not row["ok"] and row["target"]:
        short = (row["target"] - row["value"] if higher else row["value"] - row["target"])
        text += f" — missed by {short:.1f} {row['unit']} ({short / row['target']:.0%})"
    elif not row["ok"]:
        text += f" — missed by {row['value']:.1f}"
    return text


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    from load import machine

    rows, figures = [], {}
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.run())
        if getattr(module, "FIGURES", None):
            figures[path.stem] = module.FIGURES
    measured_on = machine()
    print(f"\nMachine: {measured_on}")
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        mark = "ok  " if row["ok"] else "MISS"
        print(f"{mark} {row['name']:<{width}}  {_line(row)}")
    (HERE / "results.json").write_text(json.dumps(
        {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": measured_on,
         "rows": rows, "figures": figures}, ensure_ascii=False, indent=1) + "\n")
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
