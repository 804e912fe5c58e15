"""http and profile's http wait: a stdlib server with the same bodies, and
bench serve when a bench binary is at hand."""

import http.server
import os
import re
import socketserver
import subprocess
import threading
import unittest

from tests.support import (KEEP, MODELS, SHAPE, SWIFT, SWIFT_PROFILE, DriverCase, serial_checksum,  # noqa: F401
                           setUpModule, spec_for)

from bench.checksum import body_digest, hex64
from bench.workloads.http import http_body
from bench.workloads.profile import PROFILE_HTTP_BYTES


class BodyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says close

    def do_GET(self):
        match = re.match(r"^/task/(\d+)$", self.path)
        if not match:
            self.send_error(404)
            return
        body = http_body(int(match.group(1)), self.server.nbytes)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class BodyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256  # http.server's 5 makes 64 concurrent connects retry for seconds
    connections = 0

    def verify_request(self, request, client_address):
        self.connections += 1  # one call per accepted connection
        return True


def start_stdlib_server(nbytes):
    server = BodyServer(("127.0.0.1", 0), BodyHandler)
    server.nbytes = nbytes
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


class HTTPTests(DriverCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.url = start_stdlib_server(1024)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_every_model_with_and_without_keep_alive(self):
        tasks = 24
        expected = hex64(serial_checksum([body_digest(http_body(t, 1024)) for t in range(tasks)]))
        for keep_alive in (False, True):
            for model in MODELS:
                with self.subTest(model=model, keep_alive=keep_alive):
                    params = {"http-url": self.url, "http-bytes": 1024, "http-latency-ms": 0,
                              "keep-alive": keep_alive, "http-client": "native"}
                    self.server.connections = 0
                    report, _, _ = self.sample(spec_for(model, "http", params, tasks))
                    self.assertEqual(report["checksum"], expected)
                    # one per request, or one per thread / in-flight slot
                    # (process-pool: one thread per process; hybrid: per thread per block; a model
                    # not listed here, at most one per request)
                    if not keep_alive:
                        most = tasks
                    else:
                        most = {"python-serial": 1, "python-thread": SHAPE["threads"], "python-async": SHAPE["in_flight"],
                                "python-process-pool": SHAPE["processes"],
                                "python-hybrid": SHAPE["processes"] * SHAPE["threads"],
                                "python-process-async": SHAPE["processes"] * SHAPE["in_flight"],
                                "python-distributed": SHAPE["processes"]}.get(model, tasks)
                    self.assertLessEqual(self.server.connections, most)
                    self.assertGreaterEqual(self.server.connections, 1 if keep_alive else tasks)

    def test_profile_waits_on_the_server(self):
        server, url = start_stdlib_server(PROFILE_HTTP_BYTES)
        try:
            params = {"cpu-us": 100, "wait-ms": 1, "wait": "http", "wait-url": url, "memory-kib": 64,
                      "result-bytes": 1024}
            for model in MODELS:
                with self.subTest(model=model):
                    server.connections = 0
                    report, _, _ = self.sample(spec_for(model, "profile", params, 16))
                    self.assertEqual(report["checksum"], hex64(SWIFT_PROFILE[(64, 1024, "http", 16)]))
                    self.assertEqual(server.connections, 16, "one request per task")
        finally:
            server.shutdown()
            server.server_close()

    def test_wrong_size_fails_every_request(self):
        params = {"http-url": self.url, "http-bytes": 1000}
        for model in ("python-serial", "python-async", "python-process-pool"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "http", params, 5),
                             contains=("5 of 5 requests failed", "1024 bytes, expected http-bytes 1000"))

    def test_refused_connections_are_counted(self):
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nothing listens there now
        params = {"http-url": "http://127.0.0.1:%d/" % port}
        for model in ("python-thread", "python-async"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "http", params, 6), contains=("6 of 6 requests failed", "task 0"))


def bench_binary():
    path = os.environ.get("BENCH_BINARY", "/tmp/oldbench/bench")
    return path if os.access(path, os.X_OK) else None


@unittest.skipUnless(bench_binary(), "no bench binary: set BENCH_BINARY to cross-check against bench serve")
class BenchServeTests(DriverCase):
    def serve(self, nbytes):
        proc = subprocess.Popen([bench_binary(), "serve", "--http-latency-ms", "0", "--http-bytes", str(nbytes)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        KEEP.add(proc.pid)
        url = proc.stdout.readline().decode().strip()
        self.addCleanup(self.stop, proc)
        return url

    def stop(self, proc):
        proc.terminate()  # bench serve stops on SIGTERM, as on Ctrl-C
        proc.stdout.close()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        KEEP.discard(proc.pid)

    def test_swift_server_gives_swifts_checksum(self):
        url = self.serve(1024)
        for model in MODELS:
            with self.subTest(model=model):
                params = {"http-url": url, "http-bytes": 1024}
                report, _, _ = self.sample(spec_for(model, "http", params, 16))
                self.assertEqual(report["checksum"], hex64(SWIFT[("http", "http-bytes=1024", 16)]))

    def test_swift_server_keep_alive(self):
        url = self.serve(100)
        for model in ("python-thread", "python-async", "python-process-async"):
            with self.subTest(model=model):
                params = {"http-url": url, "http-bytes": 100, "keep-alive": True}
                report, _, _ = self.sample(spec_for(model, "http", params, 100))
                self.assertEqual(report["checksum"], hex64(SWIFT[("http", "http-bytes=100;keep-alive", 100)]))



if __name__ == "__main__":
    unittest.main()
