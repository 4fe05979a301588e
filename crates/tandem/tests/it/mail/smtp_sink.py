"""A real SMTP server for Tandem's tests: aiosmtpd, from Debian's python3-aiosmtpd.

Usage: smtp_sink.py DIRECTORY PORT

Every message it accepts is written to DIRECTORY as NNNNN.eml (the bytes as received) beside
NNNNN.envelope (MAIL FROM on the first line, one RCPT TO per line after it); the .eml appears
last, atomically, so a reader that sees it sees both. Recipients at reject.example are refused
for good (550), those at later.example for now (451), like a real server would.
"""

import asyncio
import itertools
import pathlib
import sys

from aiosmtpd.smtp import SMTP


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


async def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(directory)), "127.0.0.1", port)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    await server.serve_forever()


asyncio.run(main())
