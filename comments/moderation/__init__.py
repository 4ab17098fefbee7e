"""Auto-moderation: each submitted comment runs through ordered checks that record their reasons.

`pipeline.moderate` is the entry point; `words` matches the admin-edited word lists, `spam`
scores simple signals, `akismet` asks Akismet when a key is configured.
"""
