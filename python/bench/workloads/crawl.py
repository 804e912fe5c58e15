"""crawl: the seed's crawler (002) on bench's site. Task t is image
k = t % crawl-links of page p = t // crawl-links. The producer is one per
process (per event loop under asyncio): whichever task first needs links
nobody has read becomes it, GETs /browse/<p>/, finds the <img> sources with
html.parser and keeps those the seed's regular expression
(/uploads/\\d+/(.*?png)).*?png turns into an image path and file name;
phased, it reads every page before any task downloads, overlapped only the
page it needs. A task then GETs its image (a new connection, as
requests.get), checks its size and first line, and writes it to crawl-dir
with open(..., "xb"): a second write fails the task. result =
mix(digest(path) + length), digest as http's. bench checks the files after
the sample. http-latency-ms is the server's (not used here)."""

import os

from bench import fields
from bench.crawl_client import AsyncLinkBook, LinkBook, crawl_page_links, crawl_prefix, crawl_result
from bench.failure import Failure
from bench.http_client import HTTPFailure, aget, get, parse_http_url
from bench.workloads.workload import Workload, noop_aclose, noop_close

_CRAWL = {}  # this process's producer state: the blocking link book, the asyncio ones by loop


class CrawlWorkload(Workload):
    name = "crawl"
    parameters = ("http-url", "crawl-dir", "crawl-pages", "crawl-links", "crawl-image-bytes", "pipeline",
                  "http-latency-ms")
    imports = ("http.client", "encodings.idna", "html.parser", "re")
    async_imports = ("html.parser", "re")

    def __init__(self, url, folder, pages, links, image_bytes, phased, socket_timeout):
        self.url = url
        self.host, self.port = parse_http_url(url)
        self.folder = folder
        self.pages, self.links, self.image_bytes = pages, links, image_bytes
        self.phased = phased
        self.socket_timeout = socket_timeout

    @classmethod
    def from_params(cls, params, timeout_s):
        url, folder = params["http-url"], params["crawl-dir"]
        if not url or not folder:
            raise Failure("the crawl workload needs params.http-url and params.crawl-dir",
                          "pass bench's site URL and an empty folder (bench's fixture sets both)")
        pipeline = fields.choice(params, "pipeline", ("phased", "overlapped"), "fix params.pipeline")
        fields.integer(params, "http-latency-ms", 0)  # the server's: accepted, not used here
        return cls(url, folder, fields.integer(params, "crawl-pages", 1), fields.integer(params, "crawl-links", 1),
                   fields.integer(params, "crawl-image-bytes", 64), pipeline == "phased", float(timeout_s))

    def prepare(self, tasks):
        if tasks > self.pages * self.links:
            raise Failure("crawl has %d tasks, but the site has %d images (crawl-pages %d x crawl-links %d)"
                          % (tasks, self.pages * self.links, self.pages, self.links), "lower tasks or raise crawl-pages")

    def setup_process(self):
        _CRAWL.clear()
        _CRAWL["book"] = LinkBook(self.pages, self.phased, self.read_page)

    def get(self, path):
        return get(self.host, self.port, path, self.socket_timeout)

    async def aget(self, path):
        return await aget(self.host, self.port, path)

    def page_links(self, page, status, page_html):
        if status != 200:
            raise HTTPFailure("GET /browse/%d/ answered status %s" % (page, status))
        return crawl_page_links(page_html)

    def read_page(self, page):
        return self.page_links(page, *self.get("/browse/%d/" % page))

    async def aread_page(self, page):
        return self.page_links(page, *(await self.aget("/browse/%d/" % page)))

    def link(self, links, page, slot):
        if slot >= len(links):
            raise HTTPFailure("page %d has %d wallpaper links, not crawl-links %d" % (page, len(links), self.links))
        return links[slot]

    def save(self, page, slot, path, name, status, body):
        if status != 200 or len(body) != self.image_bytes or not body.startswith(crawl_prefix(page, slot)[:self.image_bytes]):
            raise HTTPFailure("GET %s answered status %s, %d bytes: not image %d of page %d of crawl-image-bytes %d"
                              % (path, status, len(body), slot, page, self.image_bytes))
        with open(os.path.join(self.folder, name), "xb") as image:
            image.write(body)
        return crawl_result(path, len(body))

    def session(self, thread):
        book = _CRAWL["book"]
        links_per_page = self.links

        def run(t):
            page, slot = divmod(t, links_per_page)
            path, name = self.link(book.links(page), page, slot)
            return self.save(page, slot, path, name, *self.get(path))
        return run, noop_close

    def async_session(self):
        import asyncio
        loop = asyncio.get_event_loop()
        book = _CRAWL.setdefault(("async", id(loop)), AsyncLinkBook(self.pages, self.phased, self.aread_page))
        links_per_page = self.links

        async def arun(t):
            page, slot = divmod(t, links_per_page)
            path, name = self.link(await book.links(page), page, slot)
            return self.save(page, slot, path, name, *(await self.aget(path)))
        return arun, noop_aclose

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d crawl tasks failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "check the site at %s and that crawl-dir %s is empty and writable" % (self.url, self.folder))


WORKLOAD = CrawlWorkload
