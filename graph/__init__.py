"""fukushi-kg build: source documents -> records -> RDF -> validation -> store."""
