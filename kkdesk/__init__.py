"""kkdesk: offline, encrypted case documentation for human-rights monitors."""

__version__ = "0.1.0"
