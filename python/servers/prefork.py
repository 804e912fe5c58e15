"""python-prefork: --processes workers forked after the socket is bound,
each accepting one connection at a time and answering one request on it
(gunicorn's sync workers). See server_common.py for the arguments, the
routes and the protocol with bench."""

import server_common as common


def main():
    arguments = common.parse_arguments(__doc__)
    common.ignore_stop_signals()
    handler = common.Handler(arguments)  # before the fork: the shared counter must be inherited
    server_class, request_handler = common.quiet_wsgi_server_classes()
    try:
        server = server_class(("127.0.0.1", arguments.port), request_handler)
    except OSError as error:
        common.bind_error(arguments.port, error)
    server.set_app(handler.wsgi_application)
    pids = common.fork_workers(arguments.processes, lambda: common.serve_nonblocking_listener(server))
    common.announce(server.server_port)
    common.supervise(pids)


if __name__ == "__main__":
    main()
