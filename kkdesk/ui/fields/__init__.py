"""One input widget per schema field type, and the record pickers."""
