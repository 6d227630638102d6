"""`make bench`: run every benchmark under bench/ (each bounded in time) and print its figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME_LIMIT = 300  # seconds per benchmark


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name in {"run.py", "common.py", "__init__.py"}:
            continue
        print(f"# {script.stem}", flush=True)
        try:
            result = subprocess.run([sys.executable, str(script)], cwd=HERE, timeout=TIME_LIMIT)
            failed += result.returncode != 0
        except subprocess.TimeoutExpired:
            print(f"{script.stem}: stopped after {TIME_LIMIT} s", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
