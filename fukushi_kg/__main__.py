"""``python -m fukushi_kg``: the ``fukushi-kg`` command."""

import sys

from fukushi_kg.cli import main

if __name__ == "__main__":
    sys.exit(main())
