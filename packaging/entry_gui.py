"""The frozen `kkdesk` (windowed): the same entry point as the installed gui-script."""

import sys

from kkdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
