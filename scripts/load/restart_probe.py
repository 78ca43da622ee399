"""While load runs, restart the database and measure how the site answers.

Waits AFTER seconds, runs the restart command, and polls URL every 50 ms from before the restart
until DURATION seconds have passed, one request at a time, recording each status. Prints the
statuses seen, the restart's own duration, and how long after the restart command returned the
site first answered 200 again.

    python scripts/load/restart_probe.py http://127.0.0.1:8156/practices/?q=export \
        --restart "pg_ctlcluster 15 main restart" --after 20 --duration 30
"""

import argparse
import collections
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.request


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return "connection error"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--restart", required=True)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--duration", type=float, default=30)
    arguments = parser.parse_args()

    samples = []  # (time, status)
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            samples.append((time.monotonic(), status_of(arguments.url)))
            time.sleep(0.05)

    time.sleep(max(0, arguments.after - 2))
    start = time.monotonic()
    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(2)
    restart_began = time.monotonic()
    subprocess.run(shlex.split(arguments.restart), check=True)
    restart_returned = time.monotonic()
    time.sleep(max(0, arguments.duration - (restart_returned - start)))
    stop.set()
    poller.join()

    counts = collections.Counter(status for _, status in samples)
    failing = [t for t, status in samples if status != 200]
    first_200_after = next(
        (t for t, status in samples if t >= restart_returned and status == 200), None
    )
    print(f"probe statuses: {dict(counts)}")
    print(f"restart command took {restart_returned - restart_began:.2f} s")
    if failing:
        print(
            f"non-200 answers from {failing[0] - restart_began:+.2f} s to "
            f"{failing[-1] - restart_began:+.2f} s after the restart began"
        )
    if first_200_after is None:
        print("no 200 after the restart returned")
    else:
        print(f"first 200 {first_200_after - restart_returned:.2f} s after the restart returned")


if __name__ == "__main__":
    main()
