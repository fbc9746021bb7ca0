"""The frozen `kkdesk-cli` (console): the same entry point as the installed console script."""

import sys

from kkdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
