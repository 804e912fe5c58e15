"""http: GET /task/{t}; blocking http.client for serial/thread/pools, asyncio
streams (open_connection) for the async models; a new connection per request
(`Connection: close`) unless keep-alive, then one per thread or per
in-flight slot, reused. Status 200 and exactly http-bytes bytes, or the
request fails. result = FNV-1a 64 over the body, then mix(state ^ length).
The expected body of every task and its digest are computed before the
span; a received body equal to the expected one takes the precomputed
digest, any other is digested for real (and so fails the checksum
comparison in bench). http-latency-ms is the server's (not used here);
http-client must be native (urlsession is Swift's only)."""

import json

from bench import fields
from bench.checksum import body_digest
from bench.failure import Failure
from bench.http_client import HTTPFailure, close_stream, parse_http_url, parse_response_head
from bench.workloads.workload import Workload

HTTP_PATTERN_LINE = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+\n"

_HTTP_PATTERN = None  # this process's http pattern bytes


def http_pattern(nbytes):
    return (HTTP_PATTERN_LINE * (nbytes // 64 + 1))[:nbytes]


def http_body(task, nbytes, pattern=None):
    """The body the server sends for GET /task/<task> (HTTPBody.swift)."""
    if pattern is None:
        pattern = http_pattern(nbytes)
    prefix = b"task %d\n" % task
    head = min(len(prefix), nbytes)
    return prefix[:head] + pattern[head:nbytes]


class HTTPWorkload(Workload):
    name = "http"
    parameters = ("http-url", "http-bytes", "http-latency-ms", "keep-alive", "http-client")
    imports = ("http.client", "encodings.idna")  # idna: socket.create_connection encodes the host

    def __init__(self, url, nbytes, latency_ms, keep_alive, socket_timeout):
        self.url = url
        self.host, self.port = parse_http_url(url)
        self.nbytes = nbytes
        self.latency_ms = latency_ms
        self.keep_alive = keep_alive
        self.socket_timeout = socket_timeout
        self.digests = None

    @classmethod
    def from_params(cls, params, timeout_s):
        client = params["http-client"]
        if client != "native":
            raise Failure("http-client %s is Swift's only: Python models use http.client and asyncio streams"
                          % json.dumps(client), "set http-client to native")
        url = params["http-url"]
        if not url:
            raise Failure("the http workload needs params.http-url", "pass the server's URL, e.g. http://127.0.0.1:8080/")
        return cls(url, fields.integer(params, "http-bytes", 0), fields.integer(params, "http-latency-ms", 0),
                   fields.flag(params, "keep-alive"), float(timeout_s))

    def prepare(self, tasks):
        pattern = http_pattern(self.nbytes)
        # FNV in Python is ~60 us per KiB: paid here, once per sample, so
        # that a task only compares bytes.
        self.digests = [body_digest(http_body(t, self.nbytes, pattern)) for t in range(tasks)]

    def setup_process(self):
        global _HTTP_PATTERN
        _HTTP_PATTERN = http_pattern(self.nbytes)

    def _check(self, t, status, body):
        if status != 200:
            raise HTTPFailure("GET /task/%d answered status %s" % (t, status))
        if len(body) != self.nbytes:
            raise HTTPFailure("GET /task/%d answered %d bytes, expected http-bytes %d"
                              % (t, len(body), self.nbytes))
        if body == http_body(t, self.nbytes, _HTTP_PATTERN):
            return self.digests[t]
        return body_digest(body)  # wrong content: its real digest fails the checksum

    def session(self, thread):
        import http.client
        host, port, keep, timeout = self.host, self.port, self.keep_alive, self.socket_timeout
        headers = {} if keep else {"Connection": "close"}
        check = self._check
        kept = [None]

        def run(t):
            connection = kept[0]
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                connection.request("GET", "/task/%d" % t, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except BaseException:
                connection.close()
                kept[0] = None
                raise
            if keep:
                kept[0] = connection
            else:
                connection.close()
            return check(t, status, body)

        def close():
            if kept[0] is not None:
                kept[0].close()
                kept[0] = None
        return run, close

    def async_session(self):
        import asyncio
        host, port, keep = self.host, self.port, self.keep_alive
        tail = ("HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n" % (
            host, port, "" if keep else "Connection: close\r\n")).encode("ascii")
        check = self._check
        kept = [None, None]

        async def arun(t):
            reader, writer = kept
            if reader is None:
                reader, writer = await asyncio.open_connection(host, port)
            kept[0] = kept[1] = None
            try:
                writer.write(b"GET /task/%d " % t + tail)
                head = await reader.readuntil(b"\r\n\r\n")
                status, length, closes = parse_response_head(head)
                if length is None:
                    body = await reader.read()
                    closes = True
                else:
                    body = await reader.readexactly(length)
            except Exception:
                await close_stream(writer)
                raise
            if keep and not closes:
                kept[0], kept[1] = reader, writer
            else:
                await close_stream(writer)
            return check(t, status, body)

        async def aclose():
            if kept[1] is not None:
                await close_stream(kept[1])
                kept[0] = kept[1] = None
        return arun, aclose

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d requests failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "check that the server at %s is running and serves http-bytes %d" % (self.url, self.nbytes))


WORKLOAD = HTTPWorkload
