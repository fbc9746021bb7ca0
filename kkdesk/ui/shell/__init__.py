"""The application's frame: start-up, first-run and unlock windows, the main window, locking and settings."""
