#!/usr/bin/env python3
"""Writes a large WARC file for measuring pulse's memory and time on it.

    scripts/big-warc.py OUT.warc SIZE_MB [HTML_EVERY]

Like a real crawl, most records are not articles: each is a 1 MB
`image/jpeg` response of random bytes, and every HTML_EVERY-th record
(default 2) is an HTML news page made up from sentence templates written for
pulse (a few kilobytes). The file is plain WARC (not gzipped) so that its
size on disk is SIZE_MB. Deterministic: the same arguments give the same file.
"""
import random
import sys

ACTORS = ["Kenyan police", "Ethiopian troops", "Somali officials", "Ugandan soldiers",
          "Rebel fighters", "Protesters", "The Sudanese army", "Tanzanian ministers"]
VERBS = ["attacked", "arrested", "criticised", "met with", "shelled", "praised"]
TARGETS = ["opposition leaders", "a rebel camp", "the border post", "aid workers",
           "the government", "local traders"]
TOWNS = ["Nairobi", "Mombasa", "Gondar", "Kismayo", "Gulu", "Kassala", "Arusha", "Garissa"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def record(uri: str, content_type: str, body: bytes) -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode()
            + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri
            + "\r\nWARC-Date: 2024-05-14T10:00:00Z\r\nContent-Type: application/http; msgtype=response"
            + "\r\nContent-Length: " + str(len(http)) + "\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n"


def page(rng: random.Random, n: int) -> bytes:
    paras = []
    for _ in range(rng.randint(4, 9)):
        paras.append("<p>%s %s %s near %s on %s, and %d people were hurt.</p>" % (
            rng.choice(ACTORS), rng.choice(VERBS), rng.choice(TARGETS),
            rng.choice(TOWNS), rng.choice(DAYS), rng.randint(1, 40)))
    html = ("<html><head><title>Report %d</title></head><body><nav>Home | World | Sport</nav>"
            "<h1>Report %d</h1><article>%s</article><footer>Recent Features</footer>"
            "</body></html>") % (n, n, "".join(paras))
    return html.encode()


def main() -> None:
    out, size_mb = sys.argv[1], int(sys.argv[2])
    html_every = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    rng = random.Random(20261207)
    target = size_mb << 20
    written = n = pages = 0
    with open(out, "wb") as f:
        while written < target:
            n += 1
            if n % html_every == 0:
                pages += 1
                rec = record("https://news.example/%d" % n, "text/html; charset=utf-8", page(rng, n))
            else:
                rec = record("https://news.example/img/%d.jpg" % n, "image/jpeg", rng.randbytes(1 << 20))
            f.write(rec)
            written += len(rec)
    print("%s: %d records, %d HTML pages, %d bytes" % (out, n, pages, written))


if __name__ == "__main__":
    main()
