"""The PDF dialog and the statistics screen."""
