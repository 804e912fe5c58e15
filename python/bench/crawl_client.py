"""The crawl workload's client side: the seed's crawler (002) reading bench's
site (Sources/LocalHTTP/CrawlSite.swift). Pages and their links are shared
by the tasks of one process through a link book: one producer at a time,
the first task that needs links nobody has read."""

import threading

from bench.checksum import MASK, body_digest, mix


class LinkBook:
    """The crawl's pages and links in one process (threads share it).
    `fetch(p)` returns page p's links; phased, every page is read before
    anybody gets links. The asyncio version is AsyncLinkBook."""

    def __init__(self, pages, phased, fetch):
        self.pages, self.phased, self.fetch = pages, phased, fetch
        self.condition = threading.Condition()
        self.published = {}
        self.producing = False
        self.failure = None

    def ready(self, page):
        if page in self.published and (not self.phased or len(self.published) == self.pages):
            return self.published[page]
        return None

    def must_wait(self, page):
        return self.failure is None and self.ready(page) is None and self.producing

    def turn(self, page):
        """Under the condition, once waiting is over: the links, or None when
        the caller is now the producer (self.needed: the pages to read)."""
        if self.failure is not None:
            raise self.failure
        links = self.ready(page)
        if links is None:
            self.producing = True
            self.needed = [p for p in range(self.pages) if p not in self.published] if self.phased else [page]
        return links

    def links(self, page):
        while True:
            with self.condition:
                while self.must_wait(page):
                    self.condition.wait()
                links = self.turn(page)
                if links is not None:
                    return links
                needed = self.needed
            try:
                for wanted in needed:
                    found = self.fetch(wanted)
                    with self.condition:
                        self.published[wanted] = found
                        self.condition.notify_all()
            except Exception as error:
                self.failure = error
                raise
            finally:
                with self.condition:
                    self.producing = False
                    self.condition.notify_all()


class AsyncLinkBook(LinkBook):
    """The same on one event loop: waiting tasks suspend on an asyncio.Condition."""

    def __init__(self, pages, phased, fetch):
        import asyncio
        LinkBook.__init__(self, pages, phased, fetch)
        self.condition = asyncio.Condition()

    async def links(self, page):
        while True:
            async with self.condition:
                while self.must_wait(page):
                    await self.condition.wait()
                links = self.turn(page)
                if links is not None:
                    return links
                needed = self.needed
            try:
                for wanted in needed:
                    found = await self.fetch(wanted)
                    async with self.condition:
                        self.published[wanted] = found
                        self.condition.notify_all()
            except Exception as error:
                self.failure = error
                raise
            finally:
                async with self.condition:
                    self.producing = False
                    self.condition.notify_all()


def crawl_token(page, slot):
    return "%08x" % (mix(((page * 0x100000001) & MASK) ^ slot ^ 0xC4A715E5) & 0xFFFFFFFF)


def crawl_prefix(page, slot):
    """The first bytes of image `slot` of page `page`, as the site serves them."""
    return b"\x89PNG\r\n\x1a\n" + ("image %d %d %s\n" % (page, slot, crawl_token(page, slot))).encode("ascii")


def crawl_result(path, nbytes):
    return mix((body_digest(path.encode("ascii")) + nbytes) & MASK)


def crawl_page_links(page_html):
    """The wallpaper links of a page: (image path, file name) of every <img>
    whose source the seed's regular expression takes."""
    import html.parser
    import re
    sources = []

    class ImageSources(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                sources.extend(value for name, value in attrs if name == "src" and value)
    parser = ImageSources(convert_charrefs=True)
    parser.feed(page_html.decode("utf-8"))
    parser.close()
    links = []
    for source in sources:
        found = re.search(r"(/uploads/\d+/(.*?png)).*?png", source)
        if found:
            links.append((found.group(1), found.group(2)))
    return links
