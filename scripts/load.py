"""`make bench`'s load tool: the same questions asked of a running server (gunicorn) by N
concurrent clients over kept-alive connections, for a number of seconds each; prints req/s and
the 50th and 95th percentile latency. Usage: python scripts/load.py BASE_URL [--concurrency 16]."""

import argparse
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

QUESTIONS = {
    "list with facets": "/en/relationships/",
    "three filters": "/en/relationships/?state=WA&prefecture=28&decade=1950",
    "name search": "/en/relationships/?q=kobe",
    "JSON page of 500": "/en/relationships/?format=json&page_size=500",
}


def hammer(base, path, concurrency, seconds):
    parts = urlsplit(base)
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
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return len(latencies) / elapsed, statistics.median(latencies) if latencies else float("nan"), p95, len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    print(f"\n{args.label}\n")
    print("| question | clients | req/s | p50 (ms) | p95 (ms) | errors |\n|---|---:|---:|---:|---:|---:|")
    for name, path in QUESTIONS.items():
        hammer(args.base, path, 1, 1)  # warm up
        for concurrency in args.concurrency:
            rate, p50, p95, errors = hammer(args.base, path, concurrency, args.seconds)
            print(
                f"| {name} | {concurrency} | {rate:.1f} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {errors} |", flush=True
            )


if __name__ == "__main__":
    main()
