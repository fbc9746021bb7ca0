"""The desktop application (PySide6). Only this package imports Qt; it calls the core's
services and never touches SQL, keys or PDF code itself.

Start-up path (`app.main`): only QtCore/QtGui/QtWidgets, `kkdesk.i18n` and
`kkdesk.paths` are imported before the unlock or welcome window is on screen;
the store, SQLAlchemy and the main window load behind it."""
