"""python -m cli: the same as the `bulletins` command."""

import sys

from cli.parser import main

sys.exit(main())
