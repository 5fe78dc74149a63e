"""The `bulletins` command line: argument parsing in parser.py, one module per command group."""

from cli.parser import main

__all__ = ["main"]
