#!/usr/bin/env python3
"""A process that acts as a pod: a plain HTTP server bound to one pod IP inside the dev
cluster's pod network namespace. Routes are PATH=STATUS:BODY; anything else answers 404."""
import argparse
import http.server
import socketserver


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--route", action="append", default=[], help="PATH=STATUS:BODY")
    args = parser.parse_args()
    routes = {}
    for spec in args.route:
        path, answer = spec.split("=", 1)
        status, body = answer.split(":", 1)
        routes[path] = (int(status), body.encode())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = routes.get(self.path.split("?", 1)[0], (404, b"not found\n"))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *values):
            pass

    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer((args.bind, args.port), Handler) as server:
        print(f"serving {sorted(routes)} on {args.bind}:{args.port}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
