"""The demo: seed data, the embedded one-command runner and the recorded source responses it
replays (sources/). It depends on every other app; none of them imports it."""
