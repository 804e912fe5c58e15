"""python-prefork-threads: --processes forked workers, each handing the
connections it accepts to a pool of --threads threads (gunicorn gthread's
shape; wsgiref answers one request per connection). See server_common.py
for the arguments, the routes and the protocol with bench."""

from concurrent.futures import ThreadPoolExecutor

import server_common as common


def main():
    arguments = common.parse_arguments(__doc__)
    common.ignore_stop_signals()
    handler = common.Handler(arguments)
    server_class, request_handler = common.quiet_wsgi_server_classes()

    class PooledServer(server_class):
        pool = None

        def process_request(self, request, client_address):
            self.pool.submit(self.process_in_thread, request, client_address)

        def process_in_thread(self, request, client_address):
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    try:
        server = PooledServer(("127.0.0.1", arguments.port), request_handler)
    except OSError as error:
        common.bind_error(arguments.port, error)
    server.set_app(handler.wsgi_application)

    def worker():
        server.pool = ThreadPoolExecutor(max_workers=arguments.threads)  # threads start after the fork
        common.serve_nonblocking_listener(server)

    pids = common.fork_workers(arguments.processes, worker)
    common.announce(server.server_port)
    common.supervise(pids)


if __name__ == "__main__":
    main()
