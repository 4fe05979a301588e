"""A real SMTP server for Tandem's tests: aiosmtpd, from Debian's python3-aiosmtpd.

Usage: smtp_sink.py DIRECTORY PORT [STARTTLS_PORT TLS_PORT CERT KEY]

Every message it accepts is written to DIRECTORY as NNNNN.eml (the bytes as received) beside
NNNNN.envelope (MAIL FROM on the first line, one RCPT TO per line after it); the .eml appears
last, atomically, so a reader that sees it sees both. Recipients at reject.example are refused
for good (550), those at later.example for now (451), like a real server would.

With the TLS arguments it also listens with STARTTLS required on STARTTLS_PORT and with TLS from
the first byte on TLS_PORT, both asking for the login tandem / secret.
"""

import asyncio
import itertools
import logging
import pathlib
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.numbers = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1].lower()
        if domain == "reject.example":
            return "550 5.1.1 <%s>: no such user here" % address
        if domain == "later.example":
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        lines = [envelope.mail_from] + list(envelope.rcpt_tos)
        (self.directory / ("%05d.envelope" % number)).write_text("\n".join(lines) + "\n")
        partial = self.directory / (".%05d.partial" % number)
        partial.write_bytes(envelope.original_content)
        partial.rename(self.directory / ("%05d.eml" % number))
        return "250 2.0.0 accepted as %d" % number


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"tandem", b"secret")
    # handled=False: aiosmtpd then answers a failure with 535 itself (its default says "handled").
    return AuthResult(success=ok, handled=False)


async def main():
    # The tests provoke failed handshakes and logins on purpose: keep their tracebacks out of the logs.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    directory, port = sys.argv[1], int(sys.argv[2])
    sink = Sink(directory)
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(lambda: SMTP(sink), "127.0.0.1", port)]
    if len(sys.argv) == 7:
        starttls_port, tls_port, cert, key = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        starttls = lambda: SMTP(
            sink, tls_context=context, require_starttls=True, authenticator=authenticator, auth_required=True
        )
        # aiosmtpd cannot tell the connection is already TLS here, so it is told not to insist.
        wrapped = lambda: SMTP(sink, authenticator=authenticator, auth_required=True, auth_require_tls=False)
        servers.append(await loop.create_server(starttls, "127.0.0.1", starttls_port))
        servers.append(await loop.create_server(wrapped, "127.0.0.1", tls_port, ssl=context))
    print("listening", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


asyncio.run(main())
