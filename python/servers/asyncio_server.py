"""python-asyncio: asyncio.start_server, one event loop, a coroutine per
connection with keep-alive; the computing half runs in the loop (stalling
it), the wait is asyncio.sleep. See server_common.py for the arguments, the
routes and the protocol with bench."""

import asyncio

import server_common as common


async def serve_connection(handler, reader, writer):
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            words = lines[0].split(" ")
            if len(words) != 3 or not words[2].startswith("HTTP/1."):
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            keep_alive = words[2] == "HTTP/1.1"
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "connection":
                    keep_alive = "close" not in value.lower() and (keep_alive or "keep-alive" in value.lower())
            kind, task = handler.route(words[1])
            value = handler.begin(kind, task)
            if kind == "task" and handler.wait_ms > 0:
                await asyncio.sleep(handler.wait_ms / 1000.0)
            status, body = handler.body(kind, value)
            writer.write(b"HTTP/1.1 %s\r\nContent-Length: %d\r\nContent-Type: application/octet-stream\r\nConnection: %s\r\n\r\n%s" % (
                status.encode(), len(body), b"keep-alive" if keep_alive else b"close", body))
            await writer.drain()
            if not keep_alive:
                return
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main_async(arguments):
    handler = common.Handler(arguments)
    try:
        server = await asyncio.start_server(
            lambda r, w: serve_connection(handler, r, w), "127.0.0.1", arguments.port, backlog=common.BACKLOG, reuse_address=True)
    except OSError as error:
        common.bind_error(arguments.port, error)
    common.exit_when_input_ends()
    common.announce(server.sockets[0].getsockname()[1])
    async with server:
        await server.serve_forever()


def main():
    arguments = common.parse_arguments(__doc__)
    common.ignore_stop_signals()
    asyncio.run(main_async(arguments))


if __name__ == "__main__":
    main()
