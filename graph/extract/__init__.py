"""One extractor per document layout; each returns :class:`graph.records.DocumentRecords`."""
