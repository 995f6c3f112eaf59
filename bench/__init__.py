"""Benchmarks of fukushi-kg against named peers: ``python -m bench run`` (see bench/README.md)."""
