"""Exit codes and the one error the commands raise: a problem to report in plain words.

Exit codes: 0 success (no hits is success), 1 a build where some files failed, 2 usage error or unusable
index. Errors go to stderr in plain words.
"""

from __future__ import annotations

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A problem to report in plain words with exit code 2."""
