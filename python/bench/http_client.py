"""The client side of the http and crawl workloads: bench's URL form, a
response head parsed, and one GET on a new connection, blocking or under
asyncio (the workloads' kept-alive connections are the http workload's)."""

from bench.failure import Failure


class HTTPFailure(Exception):
    """A request that failed or got an answer other than the one expected."""


def parse_http_url(url):
    """http://HOST:PORT/ with an IPv4 literal or localhost, as HTTPEndpoint.swift."""
    example = "e.g. http://127.0.0.1:8080/"
    if not isinstance(url, str) or not url.startswith("http://"):
        raise Failure("http-url %r must start with http://" % (url,), example)
    rest = url[len("http://"):]
    if "/" in rest:
        rest, path = rest.split("/", 1)
        if path:
            raise Failure("http-url %r must have no path: the workload requests /task/<n>" % url, example)
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise Failure("http-url %r needs an explicit port" % url, example)
    if host == "localhost":
        host = "127.0.0.1"
    parts = host.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise Failure("http-url %r: the host must be an IPv4 address or localhost" % url, example)
    return host, int(port)


def parse_response_head(head):
    """(status, content length or None, server closes) from a response head."""
    lines = head.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
        raise HTTPFailure("malformed status line %r" % lines[0][:80])
    status = int(fields[1])
    length = None
    closes = fields[0] == "HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection":
            value = value.strip().lower()
            closes = value == "close" or (closes and value != "keep-alive")
    return status, length, closes


def get(host, port, path, timeout):
    """(status, body) of GET path on a new connection (`Connection: close`), as requests.get."""
    import http.client
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


async def close_stream(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except Exception:
        pass


async def aget(host, port, path):
    """get() under asyncio, on asyncio streams."""
    import asyncio
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n" % (path, host, port)).encode("ascii"))
        status, length, _ = parse_response_head(await reader.readuntil(b"\r\n\r\n"))
        body = await (reader.read() if length is None else reader.readexactly(length))
        return status, body
    finally:
        await close_stream(writer)
