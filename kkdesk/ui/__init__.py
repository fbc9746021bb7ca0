"""The desktop application (PySide6). Only this package imports Qt; it calls the core's
services and never touches SQL, keys or PDF code itself.

Start-up path (`shell.app.main`): only QtCore/QtGui/QtWidgets, `kkdesk.i18n` and
`kkdesk.paths` are imported before the unlock or welcome window is on screen;
the store, SQLAlchemy and the main window load behind it.

Sub-packages, by what the user sees: `shell` (start-up, unlock, main window, locking,
settings), `lists`, `editors`, `fields`, `sync`, `reports`, and `common` (tasks, message
boxes, models) which every other one may use."""
