"""Finding duplicate records and merging persons."""
