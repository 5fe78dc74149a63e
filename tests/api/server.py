"""Test launcher: `bulletins serve` with the deterministic fake encoder registered (no model to load).

    python -m tests.api.server --index DIR --data DIR --port N [--keys FILE] [--embed-delay S]

``--embed-delay`` slows every document batch (never queries), so a test can kill the server mid-ingest.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

from cli.parser import main
from service import opening
from tests.fakes import FakeEncoder


class SlowDocuments(FakeEncoder):
    """The fake encoder, sleeping ``delay`` seconds per document batch; queries stay fast."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.doc_delay = delay

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        if not query and self.doc_delay:
            import time

            time.sleep(self.doc_delay)
        return super().encode(texts, query=query)


def launch(argv: list[str]) -> int:
    delay = 0.0
    if "--embed-delay" in argv:
        at = argv.index("--embed-delay")
        delay = float(argv[at + 1])
        del argv[at : at + 2]
    opening._MODELS["fake"] = opening.QueryMemo(SlowDocuments(delay))
    return main(["serve", *argv])


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
