"""The list screens: the lazy record list, its filters and the detail pane."""
