#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the mailer tests. Each accepted message is parsed with
Python's email package and written as JSON to --out-dir; the port goes to --port-file.

--mode plain | starttls (STARTTLS required) | tls (implicit TLS)
--auth USER:PASS requires AUTH LOGIN/PLAIN with those credentials.
Recipients starting with "reject" get 550; the server stops when stdin closes."""
import argparse, email, email.policy, json, os, socket, ssl, sys, threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "subject": str(msg["subject"]),
            "date": str(msg["date"]),
            "message_id": str(msg["message-id"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "body": msg.get_content(),
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04d}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", default="plain", choices=["plain", "starttls", "tls"])
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--port-file", required=True)
    a = p.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    context = None
    if a.mode != "plain":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(a.cert, a.key)
    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=a.mode != "plain")
    if a.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif a.mode == "tls":
        kwargs.update(ssl_context=context)
    controller = Controller(Sink(a.out_dir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(a.port_file + ".tmp", a.port_file)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
