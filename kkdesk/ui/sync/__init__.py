"""The sync screen: keys, contacts, bundles and conflicts."""
