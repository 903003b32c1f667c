"""Real mail servers on loopback for the mail tests: aiosmtpd (SMTP, AUTH, STARTTLS) and Debian's dovecot.

Both are started by fixtures on free ports and stopped afterwards. What the SMTP server received is in
``SmtpServer.messages`` (envelope sender, recipients, raw bytes); the IMAP mailbox is filled by writing
messages into the user's ``Maildir/new`` as a delivery agent would.
"""

from __future__ import annotations

import atexit
import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USER = "nianbao@example.org"
PASSWORD = "S3cret-pw!9871"
ZH_USER, ZH_PASSWORD = "gkb@example.org", "政务公开-口令2025"  # a second IMAP user with a non-ASCII password
DOVECOT = "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_CERTIFICATE: list[tuple[Path, Path]] = []


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """One self-signed certificate for 127.0.0.1 / localhost per test run (both servers use it): (cert, key)."""
    if not _CERTIFICATE:
        home = Path(tempfile.mkdtemp(prefix="nianbao-cert-"))
        atexit.register(shutil.rmtree, home, True)
        os.chmod(home, 0o755)
        _CERTIFICATE.append(_new_certificate(home))
    cert, key = folder / "cert.pem", folder / "key.pem"
    shutil.copyfile(_CERTIFICATE[0][0], cert)
    shutil.copyfile(_CERTIFICATE[0][1], key)
    return cert, key


def _new_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        return cert, key
    pk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    c = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(pk.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
         .not_valid_after(now + dt.timedelta(days=2))
         .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                     x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                        critical=False)
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
         .sign(pk, hashes.SHA256()))
    cert.write_bytes(c.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(pk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))
    return cert, key


# ------------------------------------------------------------------------------------------
# SMTP
# ------------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class SmtpServer:
    host: str
    port: int
    cert: Path
    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    drop_after: int | None = None  # close the connection on the DATA of message number drop_after + 1
    logins: list[str] = field(default_factory=list)
    controller: object = None

    def parsed(self) -> list[object]:
        from email import policy
        from email.parser import BytesParser

        return [BytesParser(policy=policy.default).parsebytes(m.data) for m in self.messages]


def _smtp_handler(server: SmtpServer) -> object:
    class Handler:
        async def handle_RCPT(self, srv, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
            if address in server.refuse:
                return "550 5.1.1 mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, srv, session, envelope):  # type: ignore[no-untyped-def]
            if server.drop_after is not None and len(server.messages) >= server.drop_after:
                srv.transport.close()  # the connection drops before the message is accepted
                return "421 closing"
            server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 Message accepted"

    return Handler()


def start_smtp(tmp: Path, *, implicit_tls: bool = False) -> SmtpServer:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = make_certificate(tmp)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server = SmtpServer("127.0.0.1", free_port(), cert)

    def authenticator(srv, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == PASSWORD)
        if ok:
            server.logins.append(USER)
        return AuthResult(success=ok, handled=False)

    if implicit_tls:  # SSL from the first byte, as on port 465
        controller = Controller(_smtp_handler(server), hostname="127.0.0.1", port=server.port,
                                authenticator=authenticator, auth_required=True, auth_require_tls=False,
                                ssl_context=ctx)  # (aiosmtpd does not see this TLS: the whole socket is TLS)
    else:
        controller = Controller(_smtp_handler(server), hostname="127.0.0.1", port=server.port,
                                authenticator=authenticator, auth_required=True, auth_require_tls=True,
                                tls_context=ctx, require_starttls=True)
    controller.start()
    server.controller = controller
    return server


@pytest.fixture(name="smtp_server")
def smtp_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    server = start_smtp(tmp_path_factory.mktemp("smtp"))
    try:
        yield server
    finally:
        server.controller.stop()  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------
# IMAP (dovecot, unprivileged)
# ------------------------------------------------------------------------------------------


@dataclass
class ImapServer:
    host: str
    port: int
    root: Path
    cert: Path
    ssl_port: int = 0  # imaps: SSL from the first byte, as on port 993

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / USER / "Maildir"

    def deliver(self, data: bytes, *, chown: bool = True) -> None:
        """Put one message into the mailbox as a delivery agent would (Maildir/new)."""
        new = self.maildir / "new"
        new.mkdir(parents=True, exist_ok=True)
        for sub in ("cur", "tmp"):
            (self.maildir / sub).mkdir(exist_ok=True)
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.localhost"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(data)
        os.replace(tmp, new / name)
        if chown:
            self.fix_owner()

    def fix_owner(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root / "mail", "nobody", "nogroup")
            for dirpath, dirs, files in os.walk(self.root / "mail"):
                for n in dirs + files:
                    shutil.chown(os.path.join(dirpath, n), "nobody", "nogroup")


def start_imap(tmp: Path) -> tuple[ImapServer, subprocess.Popen[bytes] | None]:
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip("dovecot is not installed (installed by .ci/run)")
    cert, key = make_certificate(tmp)
    port, ssl_port = free_port(), free_port()
    (tmp / "run").mkdir()
    (tmp / "state").mkdir()
    (tmp / "mail").mkdir()
    (tmp / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n{ZH_USER}:{{PLAIN}}{ZH_PASSWORD}\n", encoding="utf-8")
    for p in (tmp, tmp / "run", tmp / "state"):
        os.chmod(p, 0o755)
    os.chmod(cert, 0o644)
    os.chmod(key, 0o644)
    user = "nobody" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
    group = "nogroup" if os.geteuid() == 0 else user
    conf = tmp / "dovecot.conf"
    conf.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
first_valid_uid = 1
default_internal_user = {user}
default_login_user = {user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={tmp}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""", encoding="utf-8")
    server = ImapServer("127.0.0.1", port, tmp, cert, ssl_port)
    server.deliver(b"From: a@b\r\nSubject: x\r\nMessage-ID: <boot@x>\r\n\r\nx\r\n")  # make the maildir
    for p in server.maildir.rglob("*"):
        p.unlink() if p.is_file() else None
    launch_imap(server)
    return server, None


def launch_imap(server: ImapServer) -> None:
    """Start dovecot with the server's configuration and wait until it listens."""
    subprocess.run([DOVECOT, "-c", str(server.root / "dovecot.conf")], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError((server.root / "dovecot.log").read_text(errors="replace"))


def drop_imap_sessions(server: ImapServer) -> int:
    """Kill this dovecot's ``imap`` session processes (a connection lost midway); returns how many."""
    master = int((server.root / "run" / "master.pid").read_text().strip())
    killed = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
            ppid = int(fields[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == master and name == "imap":
            try:
                os.kill(int(stat.parent.name), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed


def stop_imap(server: ImapServer) -> None:
    pid_file = server.root / "run" / "master.pid"
    if pid_file.is_file():
        pid = int(pid_file.read_text().strip())
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


@pytest.fixture(name="imap_server")
def imap_fixture() -> Iterator[ImapServer]:
    # not under pytest's tmp_path: its folders are private (0700) and dovecot runs as nobody
    root = Path(tempfile.mkdtemp(prefix="nianbao-imap-"))
    server, _ = start_imap(root)
    try:
        yield server
    finally:
        stop_imap(server)
        shutil.rmtree(root, ignore_errors=True)
