"""The demo's story: a normal past week of report counts written relative to now, then an outage
replayed live a couple of minutes after launch (the 4 October 2021 shape), so a newcomer sees the
chart fill, the detector raise a suspected incident, and can verify, compose and publish.

curve     the report counts of any 5-minute bucket of the story (one function of time)
routes    what the local replay serves for the demo sources at a given moment
backfill  the week written before launch, and the clean-up that makes each run a fresh story
"""
