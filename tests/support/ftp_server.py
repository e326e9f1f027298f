#!/usr/bin/python3
"""A loopback FTP server for Braid's tests and benchmarks, on Debian's pyftpdlib.

It serves a directory read-only, to anonymous users or to one named user, with the
faults real FTP mirrors have: bytes flipped in given ranges, no REST, no EPSV, a
passive port that never answers, a cap on connections per address, a rate cap per data
connection; and explicit FTPS (AUTH TLS) with a certificate made at start-up.

Once it listens it prints `port N` on stdout; with --events it then prints one line per
event a test may count (`connect`, `login USER`, `disconnect`, `epsv`, `pasv`, `rest N`,
`retr PATH OFFSET`, `sent PATH BYTES`). It stops when stdin closes, so it never
outlives the test that started it.

    ftp_server.py --root DIR [--host 127.0.0.1] [--user NAME:PASSWORD] [--no-anonymous]
                  [--corrupt START:END]... [--no-rest] [--no-epsv]
                  [--dead-passive silent|drop] [--max-per-ip N] [--rate BYTES_PER_S]
                  [--tls DIR] [--events]

Needs python3-pyftpdlib (and python3-openssl for --tls).
"""

import argparse
import os
import socket
import sys
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.filesystems import AbstractedFS
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.ioloop import timer
from pyftpdlib.servers import FTPServer


def event(text):
    if ARGS.events:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


class CorruptingFile:
    """A file whose bytes in ARGS.corrupt ranges are read inverted."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def read(self, size=-1):
        start = self.inner.tell()
        data = bytearray(self.inner.read(size))
        end = start + len(data)
        for lo, hi in ARGS.corrupt:
            for i in range(max(lo, start), min(hi, end)):
                data[i - start] ^= 0xFF
        return bytes(data)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class FileSystem(AbstractedFS):
    def open(self, filename, mode):
        inner = super().open(filename, mode)
        return CorruptingFile(inner) if ARGS.corrupt else inner


class CountingDTP(ThrottledDTPHandler):
    """Reports what each data connection sent (and caps its rate with --rate)."""

    def _throttle_bandwidth(self, len_chunk, max_speed):
        # pyftpdlib's own throttle sends a second's worth at once, then sleeps for up
        # to two: real servers pace evenly, so this one does, a chunk at a time.
        now = timer()
        self._timenext = max(self._timenext, now - 0.05) + len_chunk / max_speed
        sleepfor = self._timenext - now
        if sleepfor > 0.002:
            event = self.ioloop.READ if self.receive else self.ioloop.WRITE
            self.del_channel()
            self._cancel_throttler()
            self._throttler = self.ioloop.call_later(
                sleepfor, lambda: self.add_channel(events=event), _errback=self.handle_error
            )

    def close(self):
        if self.tot_bytes_sent and getattr(self, "file_obj", None) is not None:
            name = os.path.relpath(self.file_obj.name, ARGS.root)
            event("sent %s %d" % (name, self.tot_bytes_sent))
            self.tot_bytes_sent = 0
        super().close()


class Faults:
    """The faults, mixed into the plain or the TLS handler."""

    def on_connect(self):
        event("connect")

    def on_login(self, username):
        event("login " + username)

    def on_disconnect(self):
        event("disconnect")

    def ftp_REST(self, line):
        if ARGS.no_rest:
            self.respond("502 Command REST not implemented.")
            return
        event("rest " + line)
        return super().ftp_REST(line)

    def ftp_RETR(self, file):
        event("retr %s %d" % (os.path.relpath(file, ARGS.root), self._restart_position))
        return super().ftp_RETR(file)

    def ftp_EPSV(self, line):
        if ARGS.no_epsv:
            self.respond("500 Command EPSV not understood.")
            return
        event("epsv")
        if ARGS.dead_passive:
            self.respond("229 Entering extended passive mode (|||%d|)." % DEAD_PORT)
            return
        return super().ftp_EPSV(line)

    def ftp_PASV(self, line):
        event("pasv")
        if ARGS.dead_passive:
            ip = self.socket.getsockname()[0].replace(".", ",")
            self.respond(
                "227 Entering passive mode (%s,%d,%d)." % (ip, DEAD_PORT >> 8, DEAD_PORT & 0xFF)
            )
            return
        return super().ftp_PASV(line)


def dead_port(mode):
    """A port that never answers: `silent` accepts the connection and never sends;
    `drop` has its backlog full, so connection attempts are never answered."""
    listener = socket.socket()
    listener.bind((ARGS.host, 0))
    if mode == "silent":
        listener.listen(64)
        keep = [listener]
    else:
        listener.listen(0)
        # Fill the accept queue; the kernel drops further SYNs.
        keep = [listener]
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(listener.getsockname())
            except BlockingIOError:
                pass
            keep.append(filler)
    DEAD_SOCKETS.extend(keep)
    return listener.getsockname()[1]


def handler_class():
    base, dtp = FTPHandler, CountingDTP
    if ARGS.tls:
        from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler

        base = TLS_FTPHandler
        base.certfile = make_certificates(ARGS.tls)
        # TLS on the data connections too (PROT P), counted and capped as the others.
        dtp = type("TlsCountingDTP", (TLS_DTPHandler, CountingDTP), {})
    handler = type("Handler", (Faults, base), {})
    handler.abstracted_fs = FileSystem
    handler.dtp_handler = dtp
    CountingDTP.write_limit = ARGS.rate or 0
    # sendfile() would bypass the file object that corrupts.
    handler.use_sendfile = not ARGS.corrupt and not ARGS.rate
    handler.banner = "Braid test FTP server ready."
    authorizer = DummyAuthorizer()
    if ARGS.user:
        name, password = ARGS.user.split(":", 1)
        authorizer.add_user(name, password, ARGS.root, perm="elr")
    if not ARGS.no_anonymous:
        authorizer.add_anonymous(ARGS.root, perm="elr")
    handler.authorizer = authorizer
    return handler


def make_certificates(directory):
    """A CA (ca.pem, ca.der) and a server certificate for 127.0.0.1 and localhost signed
    by it (server.pem, with its key). Returns the server file."""
    from OpenSSL import crypto

    def key():
        k = crypto.PKey()
        k.generate_key(crypto.TYPE_RSA, 2048)
        return k

    def certificate(common_name, serial, key, issuer, signer, extensions):
        """Valid from an hour ago for a day; self-issued when `issuer` is None."""
        cert = crypto.X509()
        cert.set_version(2)
        cert.get_subject().CN = common_name
        cert.set_serial_number(serial)
        cert.gmtime_adj_notBefore(-3600)
        cert.gmtime_adj_notAfter(86400)
        cert.set_issuer(issuer if issuer is not None else cert.get_subject())
        cert.set_pubkey(key)
        cert.add_extensions(extensions)
        cert.sign(signer, "sha256")
        return cert

    ca_key = key()
    ca = certificate("Braid test CA", 1, ca_key, None, ca_key, [
        crypto.X509Extension(b"basicConstraints", True, b"CA:TRUE"),
        crypto.X509Extension(b"keyUsage", True, b"keyCertSign, cRLSign"),
    ])
    server_key = key()
    server = certificate("127.0.0.1", 2, server_key, ca.get_subject(), ca_key, [
        crypto.X509Extension(b"basicConstraints", True, b"CA:FALSE"),
        crypto.X509Extension(b"subjectAltName", False, b"IP:127.0.0.1, DNS:localhost"),
        crypto.X509Extension(b"extendedKeyUsage", False, b"serverAuth"),
    ])

    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "ca.pem"), "wb") as f:
        f.write(crypto.dump_certificate(crypto.FILETYPE_PEM, ca))
    with open(os.path.join(directory, "ca.der"), "wb") as f:
        f.write(crypto.dump_certificate(crypto.FILETYPE_ASN1, ca))
    path = os.path.join(directory, "server.pem")
    with open(path, "wb") as f:
        f.write(crypto.dump_privatekey(crypto.FILETYPE_PEM, server_key))
        f.write(crypto.dump_certificate(crypto.FILETYPE_PEM, server))
        f.write(crypto.dump_certificate(crypto.FILETYPE_PEM, ca))
    return path


def range_arg(text):
    start, end = text.split(":")
    return int(start), int(end)


def main():
    global ARGS, DEAD_PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--no-anonymous", action="store_true")
    parser.add_argument("--corrupt", type=range_arg, action="append", default=[])
    parser.add_argument("--no-rest", action="store_true")
    parser.add_argument("--no-epsv", action="store_true")
    parser.add_argument("--dead-passive", choices=["silent", "drop"])
    parser.add_argument("--max-per-ip", type=int, default=0)
    parser.add_argument("--rate", type=int, default=0)
    parser.add_argument("--tls")
    parser.add_argument("--events", action="store_true")
    ARGS = parser.parse_args()
    ARGS.root = os.path.realpath(ARGS.root)
    DEAD_PORT = dead_port(ARGS.dead_passive) if ARGS.dead_passive else 0

    server = FTPServer((ARGS.host, ARGS.port), handler_class())
    server.max_cons_per_ip = ARGS.max_per_ip
    sys.stdout.write("port %d\n" % server.socket.getsockname()[1])
    sys.stdout.flush()

    # Stop when whoever started us goes away.
    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    # No poll timeout: the loop wakes for its scheduled calls (the rate cap's pauses).
    server.serve_forever(timeout=None, handle_exit=False)


DEAD_SOCKETS = []
ARGS = None
DEAD_PORT = 0

if __name__ == "__main__":
    main()
