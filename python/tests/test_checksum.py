"""Checksum arithmetic and each workload's results, in process: equal to Swift's bit for bit."""

import random
import unittest

from tests.support import SWIFT, SWIFT_EXEC, SWIFT_PROFILE, serial_checksum

from bench.checksum import MASK, body_digest, checksum, mix, repeated_bytes, repeated_digest, result_digest
from bench.http_client import parse_response_head
from bench.measurement import quantile
from bench.workloads.exec import ExecWorkload
from bench.workloads.http import HTTP_PATTERN_LINE, http_body
from bench.workloads.print import PRINT_SALT
from bench.workloads.profile import PROFILE_SALT, ProfileWorkload, round_trip_picoseconds, xor_round_trip
from bench.workloads.xor import xor_chain


class ChecksumTests(unittest.TestCase):
    def test_xor_matches_swift(self):
        for (workload, params, tasks), expected in SWIFT.items():
            if workload == "xor":
                n = int(params.split("=")[1])
                got = serial_checksum([xor_chain(mix(t), n) for t in range(tasks)])
                self.assertEqual(got, expected, (params, tasks))

    def test_analytic_workloads_match_swift(self):
        for (workload, params, tasks), expected in SWIFT.items():
            if workload == "noop":
                results = list(range(tasks))
            elif workload == "sleep":
                ms = int(params.split("=")[1])
                results = [t * 31 + ms for t in range(tasks)]
            elif workload == "print":
                results = [mix(t ^ PRINT_SALT) for t in range(tasks)]
            elif workload == "http":
                nbytes = int(params.split(";")[0].split("=")[1])
                results = [body_digest(http_body(t, nbytes)) for t in range(tasks)]
            else:
                continue
            self.assertEqual(serial_checksum(results), expected, (workload, params, tasks))
            self.assertEqual(checksum(results), expected)

    def test_masking_once_equals_masking_every_step(self):
        # The driver's xor loop masks only at the end; modulo 2**64 that is
        # the same as Swift's wrapping arithmetic at every step.
        rng = random.Random(7)
        seeds = [0, 1, MASK, MASK - 1, MASK - 5, 1 << 63] + [rng.getrandbits(64) for _ in range(40)]
        for seed in seeds:
            for n in (0, 1, 2, 7, 100, 1000):
                x = seed
                for i in range(n):
                    x = ((x ^ i) + 1) & MASK
                self.assertEqual(xor_chain(seed, n), x, (seed, n))

    def test_profile_matches_swift(self):
        for (memory, size, wait, tasks), expected in SWIFT_PROFILE.items():
            workload = ProfileWorkload(0, 0, wait, memory, size, "http://127.0.0.1:1/", 5.0, 0)  # never contacted
            results = [repeated_digest(workload._word(t, mix(t ^ PROFILE_SALT)), size) for t in range(tasks)]
            self.assertEqual(serial_checksum(results), expected, (memory, size, wait, tasks))

    def test_profile_round_trip_and_digests(self):
        for seed in (0, 1, MASK, 0x123456789):
            for n in (0, 1, 2, 3, 1000, 1001):
                self.assertEqual(xor_round_trip(seed, n), seed, (seed, n))
        for count in (0, 1, 7, 8, 9, 1000, 65537):
            data = repeated_bytes(0x0123456789ABCDEF, count)
            self.assertEqual(len(data), count)
            self.assertEqual(result_digest(data), repeated_digest(0x0123456789ABCDEF, count), count)
        data = repeated_bytes(42, 1001)
        changed = bytearray(data)
        changed[999] ^= 1
        self.assertNotEqual(result_digest(bytes(changed)), result_digest(data))
        self.assertNotEqual(result_digest(data + b"\0"), result_digest(data))
        self.assertGreater(round_trip_picoseconds(steps=2000, rounds=2), 0)

    def test_exec_matches_swift(self):
        for (command, tasks), expected in SWIFT_EXEC.items():
            run, _ = ExecWorkload(command).session(0)
            self.assertEqual(serial_checksum([run(t) for t in range(tasks)]), expected, command)

    def test_mix_is_the_splitmix64_finaliser(self):
        # A known SplitMix64 output: state 0 -> first output 0xE220A8397B1DCDAF
        self.assertEqual(mix(0x9E3779B97F4A7C15), 0xE220A8397B1DCDAF)
        self.assertEqual(mix(0), 0)

    def test_http_body_layout(self):
        self.assertEqual(http_body(7, 20), b"task 7\n789abcdefghij")
        self.assertEqual(http_body(12345, 4), b"task")
        self.assertEqual(http_body(3, 0), b"")
        body = http_body(1, 200)
        self.assertEqual(body[64:128], HTTP_PATTERN_LINE)

    def test_parse_response_head(self):
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n"
        self.assertEqual(parse_response_head(head), (200, 12, False))
        head = b"HTTP/1.0 404 Not Found\r\n\r\n"
        self.assertEqual(parse_response_head(head), (404, None, True))

    def test_quantile_is_type_7(self):
        self.assertEqual(quantile([1.0, 2.0, 3.0, 4.0], 0.5), 2.5)
        self.assertAlmostEqual(quantile([float(i) for i in range(101)], 0.99), 99.0)
        self.assertEqual(quantile([5.0], 0.99), 5.0)



if __name__ == "__main__":
    unittest.main()
