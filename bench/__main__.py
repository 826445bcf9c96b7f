"""`python -m bench [name …]`: run every benchmark, or the named ones, one after another.

Each runs in a process of its own: they configure Django against their own databases and
read their own command lines, which one shared process could not give them all.
"""

import subprocess
import sys

# One module per benchmark, bench/<name>.py, runnable as `python -m bench.<name>`.
BENCHMARKS = ["registrations", "badges", "mails", "invitations", "dashboard", "documents"]


def run(names):
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"Onbekende benchmark: {', '.join(unknown)}. Kies uit: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or BENCHMARKS:
        print(f"=== bench.{name} ===", flush=True)
        status = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode or status
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
