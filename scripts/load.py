"""`make bench`'s load tool: the same questions asked of a running server (gunicorn) by N
concurrent clients over kept-alive connections, for a number of seconds each; prints req/s and
the 50th and 95th percentile latency as a Markdown table.

It drives `wrk` (Debian's package; a C program that needs little of the CPU it shares with the
server) when it is installed, else Python threads (which take a good part of a 2-core machine,
so that figures at concurrency 16 understate the server). Every answer must be a 200.
Usage: python scripts/load.py BASE_URL [--concurrency 1 16] [--seconds 6] [--question NAME PATH ...]"""

import argparse
import http.client
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

QUESTIONS = {
    "list with facets": "/en/relationships/",
    "three filters": "/en/relationships/?state=WA&prefecture=28&decade=1950",
    "name search": "/en/relationships/?q=kobe",
    "JSON page of 500": "/en/relationships/?format=json&page_size=500",
}

# wrk prints its own summary; this prints one line the tool reads: req/s, p50, p95 (ms), failures.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %f %f %f %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def with_wrk(url, concurrency, seconds):
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "report.lua"
        script.write_text(WRK_REPORT)
        threads = min(concurrency, 2)
        command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    rate, p50, p95, errors = line.split()[1:]
    return float(rate), float(p50) / 1000, float(p95) / 1000, int(errors)


def with_threads(url, concurrency, seconds):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors, stop = [], [], time.perf_counter() + seconds
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            except (OSError, http.client.HTTPException) as error:
                errors.append(str(error))
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    if not latencies:
        return 0.0, float("nan"), float("nan"), len(errors)
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    return len(latencies) / elapsed, statistics.median(latencies), p95, len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--label", default="")
    parser.add_argument("--question", nargs=2, action="append", metavar=("NAME", "PATH"), help="instead of the usual")
    parser.add_argument("--threads", action="store_true", help="Python threads even where wrk is installed")
    args = parser.parse_args()
    questions = dict(args.question) if args.question else QUESTIONS
    hammer = with_threads if args.threads or not shutil.which("wrk") else with_wrk
    tool = "Python threads" if hammer is with_threads else "wrk"
    print(f"\n{args.label} ({tool})\n")
    print("| question | clients | req/s | p50 (ms) | p95 (ms) | errors |\n|---|---:|---:|---:|---:|---:|")
    for name, path in questions.items():
        url = args.base.rstrip("/") + path
        with_threads(url, 1, 1)  # warm up: the first requests fill the workers' caches
        for concurrency in args.concurrency:
            rate, p50, p95, errors = hammer(url, concurrency, args.seconds)
            print(
                f"| {name} | {concurrency} | {rate:.1f} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {errors} |", flush=True
            )


if __name__ == "__main__":
    main()
