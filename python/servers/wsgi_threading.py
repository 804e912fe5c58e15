"""python-threading: wsgiref's WSGIServer with socketserver.ThreadingMixIn,
a thread per connection (wsgiref answers one request per connection).
See server_common.py for the arguments, the routes and the protocol with bench."""

import socketserver

import server_common as common


def main():
    arguments = common.parse_arguments(__doc__)
    common.ignore_stop_signals()
    handler = common.Handler(arguments)
    server_class, request_handler = common.quiet_wsgi_server_classes()

    class ThreadingServer(socketserver.ThreadingMixIn, server_class):
        daemon_threads = True

    try:
        server = ThreadingServer(("127.0.0.1", arguments.port), request_handler)
    except OSError as error:
        common.bind_error(arguments.port, error)
    server.set_app(handler.wsgi_application)
    common.exit_when_input_ends()
    common.announce(server.server_port)
    server.serve_forever()


if __name__ == "__main__":
    main()
