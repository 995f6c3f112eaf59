"""``python -m fukushi_kg.service [options]``: an alias of ``fukushi-kg serve [options]``."""

import sys

from fukushi_kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
