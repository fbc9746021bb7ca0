"""The record editors: the generic form, child tables, attachments, hearing mode and the medical editor."""
