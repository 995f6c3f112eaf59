"""fukushi-kg service: command line, SPARQL endpoint and linked-data pages."""
