"""A local SMTP server that accepts, refuses (closes the connection at once) or hangs
(answers nothing), as its owner switches it: the mail fault tests (tests/outbox) and the
mail outage benchmark (`manage.py bench_mail`) send through it."""

import socket
import socketserver
import threading
import time
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self):
        stub = self.server.stub
        if stub.mode == "refuse":
            return  # closed before the greeting: the client sees a disconnect
        if stub.mode == "hang":
            stub.hung.wait(30)  # never greets until told (or 30 s)
            return
        self._line("220 stub ESMTP")
        data_mode = False
        lines = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            if data_mode:
                if raw in (b".\r\n", b".\n"):
                    data_mode = False
                    stub.received.append(message_from_bytes(b"".join(lines)))
                    lines = []
                    self._line("250 queued")
                else:
                    lines.append(raw[1:] if raw.startswith(b"..") else raw)
                continue
            command = raw.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self._line("250 stub")
            elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                self._line("250 ok")
            elif command == b"DATA":
                data_mode = True
                self._line("354 go ahead")
            elif command == b"QUIT":
                self._line("221 bye")
                return
            else:
                self._line("502 not implemented")

    def _line(self, text):
        self.wfile.write(text.encode() + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpStub:
    def __init__(self):
        self.mode = "accept"
        self.received = []
        self.hung = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def recipients(self):
        return [message["To"] for message in self.received]

    def stop(self):
        self.hung.set()
        self._server.shutdown()
        self._server.server_close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
