"""A local stand-in for two services outside this machine, implementing their documented contracts:

- GOV.UK Notify's API (https://docs.notifications.service.gov.uk/rest-api.html): every request
  carries `Authorization: Bearer <JWT>`, an HS256 JWT signed with the API key's secret whose
  `iss` is the service id and whose `iat` is within 30 seconds of now (403 AuthError
  otherwise, 401 without one); `POST /v2/notifications/email` (email_address, template_id,
  personalisation, reference) and `/v2/notifications/sms` (phone_number, …) answer 201 with the
  documented body; an unknown template is 400 BadRequestError; `--rate-limit-first N` answers
  the first N sends 429 RateLimitError, as Notify does past its rate limit.
- A Microsoft Teams incoming webhook (Workflows): `POST /teams/...` with a message whose one
  attachment is an Adaptive Card answers 200; anything else 400.

Each accepted request is written to --out-dir as JSON. It stops when stdin closes.

    python3 notify_standin.py --port-file P --out-dir D --service-id UUID --secret UUID \
        --email-template UUID --sms-template UUID [--rate-limit-first N]
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--service-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--email-template", required=True)
    parser.add_argument("--sms-template", required=True)
    parser.add_argument("--rate-limit-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    state = {"limited": args.rate_limit_first, "count": 0}
    lock = threading.Lock()

    def error(handler, status, kind, message):
        body = json.dumps({"errors": [{"error": kind, "message": message}], "status_code": status}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def record(kind, payload):
        with lock:
            state["count"] += 1
            path = os.path.join(args.out_dir, f"{state['count']:04d}-{kind}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(payload, f)
        os.rename(path + ".tmp", path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            if self.path.startswith("/teams/"):
                return self.teams(raw)
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                return error(self, 401, "AuthError", "Unauthorized: authentication token must be provided")
            token = auth[len("Bearer "):]
            try:
                header_b64, claims_b64, signature_b64 = token.split(".")
                header = json.loads(b64url_decode(header_b64))
                claims = json.loads(b64url_decode(claims_b64))
                expected = hmac.new(
                    args.secret.encode(), f"{header_b64}.{claims_b64}".encode(), hashlib.sha256
                ).digest()
                good = header.get("alg") == "HS256" and hmac.compare_digest(expected, b64url_decode(signature_b64))
            except Exception:
                good = False
            if not good:
                return error(self, 403, "AuthError", "Invalid token: signature, api token not found")
            if claims.get("iss") != args.service_id:
                return error(self, 403, "AuthError", "Invalid token: service not found")
            if abs(time.time() - float(claims.get("iat", 0))) > 30:
                return error(self, 403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
            kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
            if kind is None:
                return error(self, 404, "BadRequestError", "Not found")
            try:
                body = json.loads(raw)
            except ValueError:
                return error(self, 400, "BadRequestError", "Invalid JSON")
            with lock:
                limited = state["limited"] > 0
                if limited:
                    state["limited"] -= 1
            if limited:
                return error(self, 429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
            field = "email_address" if kind == "email" else "phone_number"
            template = args.email_template if kind == "email" else args.sms_template
            if not isinstance(body.get(field), str) or not body[field]:
                return error(self, 400, "ValidationError", f"{field} is a required property")
            if body.get("template_id") != template:
                return error(self, 400, "BadRequestError", "Template not found")
            record(kind, body)
            personalisation = body.get("personalisation", {})
            content = (
                {"subject": personalisation.get("subject", ""), "body": personalisation.get("body", ""),
                 "from_email": "refgate@notifications.service.gov.uk"}
                if kind == "email" else {"body": personalisation.get("body", ""), "from_number": "GOVUK"}
            )
            notification = str(uuid.uuid4())
            answer = json.dumps({
                "id": notification, "reference": body.get("reference"), "content": content,
                "uri": f"https://api.notifications.service.gov.uk/v2/notifications/{notification}",
                "template": {"id": template, "version": 1,
                             "uri": f"https://api.notifications.service.gov.uk/v2/template/{template}"},
            }).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def teams(self, raw):
            try:
                message = json.loads(raw)
                attachment = message["attachments"][0]
                ok = (message.get("type") == "message"
                      and attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
                      and attachment["content"]["type"] == "AdaptiveCard")
            except (ValueError, KeyError, IndexError, TypeError):
                ok = False
            if not ok:
                self.send_response(400)
                self.end_headers()
                return
            record("teams", message)
            self.send_response(200)
            self.send_header("Content-Length", "1")
            self.end_headers()
            self.wfile.write(b"1")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    while sys.stdin.buffer.read(1):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
