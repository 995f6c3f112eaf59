"""``python -m fukushi_kg.service.cli``: an alias of ``fukushi-kg`` (``fukushi_kg/cli.py`` declares the commands)."""

import sys

from fukushi_kg.cli import main, parser

__all__ = ["main", "parser"]

if __name__ == "__main__":
    sys.exit(main())
