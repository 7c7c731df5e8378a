"""Real protocol peers for channel tests: an SMTP server (aiosmtpd), and HTTP endpoints standing in for Twilio,
a webhook receiver and a browser push service, each recording exactly what arrived."""
import base64
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """An aiosmtpd server that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(envelope)
                return "250 OK queued"
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def wait(self, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return self.messages


class Recorder:
    """An HTTP server that records requests and answers with `respond(request) -> (status, body)`."""

    def __init__(self, respond):
        self.requests = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                recorder.requests.append(request)
                status, payload = respond(request)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(payload).encode())

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def wait(self, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.requests) < count:
            time.sleep(0.05)
        return self.requests


def twilio_respond(request):
    """Twilio's Messages API: checks the account path and Basic auth, answers with a message SID."""
    auth = request["headers"].get("authorization", "")
    if request["path"] != "/2010-04-01/Accounts/AC123/Messages.json" or auth != "Basic " + base64.b64encode(b"AC123:secret-token").decode():
        return 401, {"code": 20003, "message": "Authenticate"}
    form = urllib.parse.parse_qs(request["body"].decode())
    return 201, {"sid": "SM" + str(len(form)), "status": "queued"}


def private_ca(directory):
    """A throwaway certificate authority and a `localhost` certificate it signed; returns (ca.pem, cert.pem, key.pem)."""
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ciclo Test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = [f"{directory}/ca.pem", f"{directory}/cert.pem", f"{directory}/key.pem"]
    with open(paths[0], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


class SecureMailSink(MailSink):
    """An SMTP server that requires STARTTLS and then AUTH with one user, and notes how each message arrived."""

    def __init__(self, directory, user, password):
        import ssl
        from aiosmtpd.smtp import AuthResult
        self.messages = []
        self.sessions = []
        self.port = free_port()
        _, cert, key = private_ca(directory)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.sessions.append({"tls": session.ssl is not None, "login": session.authenticated and session.auth_data.login})
                sink.messages.append(envelope)
                return "250 OK queued"

        def authenticator(server, session, envelope, mechanism, data):
            ok = data.login == user.encode() and data.password == password.encode()
            # handled=False lets aiosmtpd answer the failure with its 535.
            return AuthResult(success=True, auth_data=data) if ok else AuthResult(success=False, handled=False)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=context,
                                     require_starttls=True, authenticator=authenticator, auth_require_tls=True)
