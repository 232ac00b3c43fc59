#!/usr/bin/env python3
"""A process that acts as a pod: a plain HTTP server bound to one pod IP inside the dev
cluster's pod network namespace. Routes are PATH=STATUS:BODY; anything else answers 404.

With --sidecar-stats PORT it also plays the part of the pod's Envoy sidecar for metrics: it
counts the requests it answers and serves them on PORT /stats/prometheus as Istio's standard
inbound metrics (istio_requests_total and istio_request_duration_milliseconds), the way the
real istio-proxy does on 15090; with --prometheus-api PORT it answers Prometheus' query API over
those counters, as Istio's Prometheus addon would after a scrape. Only this data-plane behaviour
is simulated.

With --upstream IP:PORT (repeatable) it plays a gateway's Envoy routing to one Service instead:
each request goes to the next upstream in turn (ROUND_ROBIN over the endpoints), and the
upstream's status, body and x-version/content-type headers are answered."""
import argparse
import http.client
import http.server
import itertools
import json
import urllib.parse
import socketserver
import threading
import time


class Stats:
    def __init__(self, service, version, start):
        self.service = service
        self.version = version
        self.lock = threading.Lock()
        self.requests = {}
        self.duration_sum = {}
        # Counters from before this run, as a long-lived sidecar has them.
        if start:
            self.requests["200"] = start
            self.duration_sum["200"] = float(start)

    def record(self, status, millis):
        with self.lock:
            code = str(status)
            self.requests[code] = self.requests.get(code, 0) + 1
            self.duration_sum[code] = self.duration_sum.get(code, 0.0) + millis

    def exposition(self):
        name, namespace = self.service.split(".")[:2]
        lines = ["# TYPE istio_requests_total counter"]
        with self.lock:
            codes = sorted(self.requests)
            for code in codes:
                lines.append(f"istio_requests_total{{{self.labels(code, name, namespace)}}} {self.requests[code]}")
            lines.append("# TYPE istio_request_duration_milliseconds histogram")
            for code in codes:
                labels = self.labels(code, name, namespace)
                count = self.requests[code]
                lines.append(f'istio_request_duration_milliseconds_bucket{{{labels},le="+Inf"}} {count}')
                lines.append(f"istio_request_duration_milliseconds_sum{{{labels}}} {self.duration_sum[code]}")
                lines.append(f"istio_request_duration_milliseconds_count{{{labels}}} {count}")
        return ("\n".join(lines) + "\n").encode()

    def labels(self, code, name, namespace):
        return (
            f'reporter="destination",response_code="{code}",'
            f'destination_service="{self.service}",destination_service_name="{name}",'
            f'destination_service_namespace="{namespace}",destination_version="{self.version}"'
        )


    def query(self, promql):
        """Istio's Prometheus, reduced to this pod: `sum by (response_code, destination_version)`
        of one metric for this destination service, as the HTTP API answers it."""
        if self.service not in promql:
            return []
        with self.lock:
            if "istio_requests_total" in promql:
                values = dict(self.requests)
            elif "_sum" in promql:
                values = dict(self.duration_sum)
            else:
                values = dict(self.requests)
        now = time.time()
        return [
            {"metric": {"response_code": code, "destination_version": self.version}, "value": [now, str(value)]}
            for code, value in sorted(values.items())
        ]


def prometheus_api(stats):
    def answer(path_and_query):
        path, _, query = path_and_query.partition("?")
        if path != "/api/v1/query":
            return 404, b""
        promql = urllib.parse.parse_qs(query).get("query", [""])[0]
        result = stats.query(promql)
        body = {"status": "success", "data": {"resultType": "vector", "result": result}}
        return 200, json.dumps(body).encode()

    return answer


def round_robin(upstreams):
    """An answer function that forwards each request to the next upstream."""
    turn = itertools.cycle(upstreams)
    lock = threading.Lock()

    def answer(path_and_query):
        with lock:
            host, port = next(turn).rsplit(":", 1)
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            conn.request("GET", path_and_query)
            response = conn.getresponse()
            body = response.read()
            passed = [(k, v) for k, v in response.getheaders() if k.lower() in ("x-version", "content-type")]
            conn.close()
            return response.status, body, passed
        except OSError as e:
            return 503, f"upstream connect error: {e}\n".encode(), []

    return answer


def handler(answer, stats=None, headers=(), keep_query=False):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            started = time.monotonic()
            answered = answer(self.path if keep_query else self.path.split("?", 1)[0])
            status, body = answered[0], answered[1]
            extra = list(headers) + list(answered[2] if len(answered) > 2 else [])
            self.send_response(status)
            if not any(name.lower() == "content-type" for name, _ in extra):
                self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            if stats is not None:
                stats.record(status, (time.monotonic() - started) * 1000.0)

        def log_message(self, fmt, *values):
            pass

    return Handler


def serve(bind, port, handler_class):
    server = socketserver.ThreadingTCPServer((bind, port), handler_class)
    server.daemon_threads = True
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--route", action="append", default=[], help="PATH=STATUS:BODY")
    parser.add_argument("--header", action="append", default=[], help="NAME:VALUE on every answer")
    parser.add_argument("--sidecar-stats", type=int, help="port for /stats/prometheus")
    parser.add_argument("--service", help="destination service FQDN for the sidecar stats")
    parser.add_argument("--version", default="unknown", help="destination_version label")
    parser.add_argument("--counted-before", type=int, default=0, help="requests counted before")
    parser.add_argument("--prometheus-api", type=int, help="port for a Prometheus query API over the sidecar stats")
    parser.add_argument("--upstream", action="append", default=[], help="IP:PORT to forward to, round-robin")
    args = parser.parse_args()
    routes = {}
    for spec in args.route:
        path, answer = spec.split("=", 1)
        status, body = answer.split(":", 1)
        routes[path] = (int(status), body.encode())
    headers = [tuple(h.split(":", 1)) for h in args.header]
    socketserver.TCPServer.allow_reuse_address = True
    stats = None
    if args.sidecar_stats:
        stats = Stats(args.service, args.version, args.counted_before)
        page = lambda path: (200, stats.exposition()) if path == "/stats/prometheus" else (404, b"")
        sidecar = serve(args.bind, args.sidecar_stats, handler(page))
        threading.Thread(target=sidecar.serve_forever, daemon=True).start()
        if args.prometheus_api:
            api = serve(args.bind, args.prometheus_api, handler(prometheus_api(stats), keep_query=True))
            threading.Thread(target=api.serve_forever, daemon=True).start()
    if args.upstream:
        app = serve(args.bind, args.port, handler(round_robin(args.upstream), keep_query=True))
        print(f"serving round-robin to {args.upstream} on {args.bind}:{args.port}", flush=True)
        app.serve_forever()
        return
    app = serve(args.bind, args.port, handler(lambda p: routes.get(p, (404, b"not found\n")), stats, headers))
    print(f"serving {sorted(routes)} on {args.bind}:{args.port}", flush=True)
    app.serve_forever()


if __name__ == "__main__":
    main()
