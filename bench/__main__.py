"""`python -m bench [name …]`: run every benchmark, or the named ones, one after another."""

import importlib
import sys

# One module per benchmark, bench/<name>.py, each with a main() that returns an exit code.
BENCHMARKS = ["registrations"]


def run(names):
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"Onbekende benchmark: {', '.join(unknown)}. Kies uit: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or BENCHMARKS:
        print(f"=== bench.{name} ===", flush=True)
        status = importlib.import_module(f"bench.{name}").main() or status
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
