"""``python -m service --dist DIR --port N``: the same as ``fukushi-kg serve`` (used by the tests)."""

import argparse
import logging

from fukushi_kg.service.app import serve
from fukushi_kg.service.settings import add_serve_arguments, settings_from_args


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service", description="Serve the fukushi-kg dataset.")
    add_serve_arguments(parser)
    logging.basicConfig(level=logging.INFO)
    serve(settings_from_args(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
