"""Pieces every screen uses: background tasks, message boxes, the rows model."""
