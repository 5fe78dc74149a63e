"""`bulletins admin-password`: read a password from stdin, print its salted hash for the admin page."""

from __future__ import annotations

import argparse
import getpass
import sys

from cli.errors import EXIT_OK, CliError
from service.secrets import hash_secret

MIN_LENGTH = 8
_HOW_TO_USE = """\
Give the app this hash (never the password) in one of two ways:
  environment:  BULLETINS_ADMIN_PASSWORD_HASH='{hash}'
  secrets file: .streamlit/secrets.toml ->
                [admin]
                password_hash = "{hash}"
then start it with: bulletins app --admin"""


def cmd_admin_password(args: argparse.Namespace) -> int:
    """Print the hash of the password read from stdin (asked twice on a terminal); hints go to stderr."""
    password = _read_password()
    if len(password) < MIN_LENGTH:
        raise CliError(f"the password must be at least {MIN_LENGTH} characters long")
    hashed = hash_secret(password)
    print(hashed)
    if not args.quiet:
        print(_HOW_TO_USE.format(hash=hashed), file=sys.stderr)
    return EXIT_OK


def _read_password() -> str:
    """The first line of stdin, or on a terminal the password typed twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Admin password: ")
    if getpass.getpass("Again: ") != first:
        raise CliError("the two passwords differ")
    return first
