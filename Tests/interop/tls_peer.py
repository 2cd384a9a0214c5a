#!/usr/bin/env python3
"""An independent HTTPS peer for the libcurl transport tests (Python's ssl + http.server).

Usage: tls_peer.py --cert C --key K [--ca CA] [--require-client-cert] [--max-tls 1.2|1.3] [--port P] --port-file F
Prints nothing; writes the bound port to --port-file; serves until killed or stdin closes.

Routes: POST /echo (echoes the body), POST /arm-drop (answers, then closes this connection
unanswered at its next request, as a server closing an idle connection just as it is reused), GET /big?n=N[&chunked=1], GET /status?code=N,
GET /slow?seconds=S, GET /whoami (subject of the client certificate), GET /peer/v1/checkpoints
(no witnessed heads, as a refgate peer answers), and with --record-dir,
POST /webhook: checks X-Refgate-Signature with --webhook-secret and records the delivery.
"""
import argparse, hashlib, hmac, json, os, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if getattr(self, "drop_next", False):
            self.close_connection = True
            return
        if self.path == "/arm-drop":
            self.drop_next = True
            self.send(200, b"armed")
            return
        if self.path == "/webhook" and self.server.record_dir:
            # Verify X-Refgate-Signature: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")).
            parts = dict(p.split("=", 1) for p in self.headers.get("X-Refgate-Signature", "").split(",") if "=" in p)
            expected = hmac.new(self.server.secret, parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
            verified = hmac.compare_digest(expected, parts.get("v1", ""))
            record = {"verified": verified, "event": self.headers.get("X-Refgate-Event"),
                      "delivery": self.headers.get("X-Refgate-Delivery"), "body": json.loads(body)}
            self.server.count += 1
            path = os.path.join(self.server.record_dir, f"{self.server.count:04d}.json")
            with open(path + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(path + ".tmp", path)
            self.send(200 if verified else 401, b"{}", "application/json")
            return
        self.send(200, body, self.headers.get("Content-Type", "application/octet-stream"))

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/big":
            n = int(q.get("n", "0"))
            if q.get("chunked") == "1":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * 65536
                sent = 0
                while sent < n:
                    part = chunk[: min(len(chunk), n - sent)]
                    try:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                        return
                    sent += len(part)
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send(200, b"x" * n)
        elif url.path == "/status":
            code = int(q.get("code", "500"))
            body = json.dumps({"type": "urn:test:problem", "status": code}).encode()
            self.send(code, body, "application/problem+json")
        elif url.path == "/slow":
            time.sleep(float(q.get("seconds", "5")))
            self.send(200, b"late")
        elif url.path == "/whoami":
            cert = self.connection.getpeercert()
            subject = dict(x[0] for x in cert["subject"]) if cert else {}
            self.send(200, json.dumps(subject).encode(), "application/json")
        elif url.path == "/peer/v1/checkpoints":
            # As a refgate peer answers `refgate audit verify --peer-checkpoints` (holding none).
            self.send(200, b'{"treeHeads": []}', "application/json")
        else:
            self.send(404, b"no route")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--ca")
    p.add_argument("--require-client-cert", action="store_true")
    p.add_argument("--max-tls", default="1.3")
    p.add_argument("--port-file", required=True)
    p.add_argument("--port", type=int, default=0, help="bind this port (default: any free one)")
    p.add_argument("--record-dir")
    p.add_argument("--webhook-secret", default="")
    a = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_3 if a.max_tls == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    if a.ca:
        ctx.load_verify_locations(a.ca)
    ctx.verify_mode = ssl.CERT_REQUIRED if a.require_client_cert else ssl.CERT_NONE
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.record_dir = a.record_dir
    server.secret = a.webhook_secret.encode()
    server.count = 0
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, a.port_file)
    # Stop when the test process goes away (stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
