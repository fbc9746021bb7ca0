"""Offline sync between profiles by encrypted, signed bundles (docs/bundle-format.md).

contacts   who we exchange with (keys, fingerprints, acknowledgements)
identity   the profile's own keys: show, export the age key, back up, restore
vector     version vectors with exceptions: what a store holds, per origin profile
selection  what a bundle carries: unacknowledged labels, filters, attachment bytes
manifest   the signed manifest: build, sign, check
tarstream  a streaming tar writer and a push-fed tar reader
age_io     age encryption (pyrage) around the tar stream
blobio     attachment bytes between the store and the stream
export     writing a bundle
reader     opening a bundle: decryption and the order of its entries
importer   verifying a bundle and merging it in one transaction
merge      heads of a record and its deterministic projection
conflicts  records with several heads: list and resolve
errors     one error class per refusal
"""
