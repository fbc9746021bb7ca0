"""`kkdesk` / `python -m kkdesk`: the desktop application."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv:
        from kkdesk import __version__

        print(f"kkdesk {__version__}")
        return 0
    from kkdesk.ui.shell.app import main as ui_main  # the GUI issue builds this

    return ui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
