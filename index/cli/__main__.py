"""python -m index.cli: the same as the `bulletins` command."""

import sys

from index.cli.parser import main

sys.exit(main())
