"""Fuzz the site: COUNT requests (default 10,000) of made-up query strings, paths, headers and form
posts, on loopback; report the statuses and every answer of 500 or more.

    python scripts/load/fuzz.py http://127.0.0.1:8156 --count 10000 --seed 15

Made-up values: the URL contract's parameters and unknown ones, with random Unicode, bytes that
are not UTF-8, NUL and other control characters, the search syntax's operators, very long and
very many values, absurd page numbers; slugs of every kind; posts to the shortlist, the language
switch and the admin's sign-in with random fields, with and without an Origin header; junk
cookies and headers.
"""

import argparse
import collections
import http.client
import random
import string
import sys
import threading
import time
import urllib.parse

PARAMETERS = [
    "q", "barrier", "topic", "country", "region", "project", "level", "validated", "ongoing",
    "tag", "sort", "page", "p", "next", "format", "%00", "q[]", "", "csrfmiddlewaretoken",
]  # fmt: skip
PAGES = [
    "/", "/practices/", "/barriers/", "/topics/", "/projects/", "/matrix/", "/compare/",
    "/shortlist/", "/barriers/limited-size-and-capacity/", "/accessibility/", "/robots.txt",
    "/.well-known/security.txt", "/healthz", "/readyz", "/admin/login/", "/practices/profitnet/",
]  # fmt: skip
SLUG_PREFIXES = ["/practices/", "/barriers/", "/topics/", "/projects/", "/static/", "/admin/"]
POSTS = ["/shortlist/add/", "/shortlist/remove/", "/shortlist/clear/", "/i18n/setlang/",
         "/admin/login/", "/practices/", "/compare/"]  # fmt: skip
SEARCH_SYNTAX = ['"', "-", "or", "OR", "!", "&", "|", "(", ")", ":*", "<->", "\\", "'", "*", "%"]


class Fuzzer:
    def __init__(self, seed):
        self.random = random.Random(seed)

    def text(self):
        r = self.random
        kind = r.randrange(10)
        if kind == 0:
            # Any code point but the surrogates, which no UTF-8 text holds.
            return "".join(
                chr(r.choice([r.randrange(0x20, 0xD800), r.randrange(0xE000, 0x2FFFF)]))
                for _ in range(r.randrange(1, 30))
            )
        if kind == 1:
            return "x" * r.choice([199, 200, 201, 1000, 5000])
        if kind == 2:
            return " ".join(r.choice([*SEARCH_SYNTAX, "export", "sme", "a"]) for _ in range(8))
        if kind == 3:
            return str(r.choice([0, -1, 2**31, 2**63, 10**30, "1e9", "NaN", "1.5", "0x10"]))
        if kind == 4:
            return "".join(chr(r.randrange(0, 32)) for _ in range(r.randrange(1, 5)))
        if kind == 5:
            return r.choice(["profitnet", "limited-size-and-capacity", "ES", "ES30", "fr", "en"])
        if kind == 6:
            return "../" * r.randrange(1, 5) + "etc/passwd"
        if kind == 7:
            return "<script>alert(1)</script>"
        return "".join(r.choice(string.printable) for _ in range(r.randrange(0, 40)))

    def header_text(self, length):
        """Made-up text that can go in a header (no line breaks, Latin-1)."""
        return "".join(c for c in self.text() if 32 <= ord(c) < 256 and c != "\x7f")[:length]

    def raw_bytes(self):
        """Percent-encoded bytes, often not UTF-8."""
        return "".join(
            f"%{self.random.randrange(256):02X}" for _ in range(self.random.randrange(1, 8))
        )

    def query(self):
        r = self.random
        pairs = []
        for _ in range(r.choice([1, 2, 3, 5, 60])):
            name = r.choice(PARAMETERS) if r.random() < 0.9 else self.text()
            value = self.raw_bytes() if r.random() < 0.15 else urllib.parse.quote(self.text())
            pairs.append(f"{urllib.parse.quote(name)}={value}")
        return "&".join(pairs)

    def request(self):
        r = self.random
        headers = {}
        if r.random() < 0.2:
            headers["Cookie"] = urllib.parse.quote(r.choice(
                [f"sessionid={self.text()[:60]}", "messages=junk", f"csrftoken={self.text()[:40]}",
                 "django_language=xx", f"primary_until={self.text()[:20]}"]
            ), safe="=;")  # fmt: skip
        if r.random() < 0.1:
            headers["HX-Request"] = "true"
        if r.random() < 0.1:
            headers["Accept-Language"] = self.header_text(50)
        kind = r.randrange(10)
        if kind < 5:
            path = r.choice(PAGES) + "?" + self.query()
            return "GET", path, None, headers
        if kind < 7:
            slug = (
                urllib.parse.quote(self.text(), safe="") if r.random() < 0.8 else self.raw_bytes()
            )
            return "GET", r.choice(SLUG_PREFIXES) + slug + "/", None, headers
        body = self.query()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if r.random() < 0.7:
            headers["Origin"] = r.choice(["http://127.0.0.1", "https://evil.example", "null"])
        if r.random() < 0.3:
            headers["Referer"] = self.header_text(100)
        return "POST", r.choice(POSTS), body.encode(), headers


def run(base, count, seed, threads):
    parsed = urllib.parse.urlsplit(base)
    lock = threading.Lock()
    statuses = collections.Counter()
    failures = []
    remaining = iter(range(count))

    def worker(number):
        fuzzer = Fuzzer(seed * 1000 + number)
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            method, path, body, headers = fuzzer.request()
            if "Origin" in headers and headers["Origin"] == "http://127.0.0.1":
                headers["Origin"] = f"{parsed.scheme}://{parsed.netloc}"
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            try:
                connection.request(method, path, body=body, headers=headers)
                status = connection.getresponse().status
            except (OSError, http.client.HTTPException) as error:
                status = f"error: {type(error).__name__}"
            finally:
                connection.close()
            with lock:
                statuses[status] += 1
                if not isinstance(status, int) or status >= 500:
                    failures.append((status, method, path[:300], (body or b"")[:300]))

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    print(f"{sum(statuses.values())} requests in {elapsed:.0f} s")
    print("statuses:", dict(sorted(statuses.items(), key=str)))
    print(f"answers of 500 or more (or no answer): {len(failures)}")
    for failure in failures[:50]:
        print("  ", failure)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--threads", type=int, default=4)
    arguments = parser.parse_args()
    sys.exit(run(arguments.base, arguments.count, arguments.seed, arguments.threads))


if __name__ == "__main__":
    main()
