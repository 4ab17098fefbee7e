"""Replay a timeline of 5-minute signal counts (by default the constructed quiet week and the
4 October 2021 outage) through the detector and print when each state was reached."""

from django.core.management.base import BaseCommand, CommandError

from incidents.detection.replay import DEFAULT_TIMELINE, load_timeline, replay
from incidents.detection.stats import LIKELY


class Command(BaseCommand):
    help = "Replay an outage timeline through the detector and print each state change."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(DEFAULT_TIMELINE), help="CSV of bucket_start,reports rows."
        )

    def handle(self, *args, file, **options):
        try:
            timeline = load_timeline(file)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"cannot read the timeline {file}: {exc}") from exc
        if not timeline.points:
            raise CommandError(f"the timeline {file} has no rows")
        first, last = timeline.points[0][0], timeline.points[-1][0]
        self.stdout.write(
            f"Timeline: {len(timeline.points)} buckets of 5 minutes, "
            f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
        )
        spike = timeline.spike_start
        if spike:
            self.stdout.write(f"Spike starts: {spike:%Y-%m-%d %H:%M} UTC")
        transitions = replay(timeline)
        if not transitions:
            self.stdout.write("The detector stayed at 'ok' throughout.")
        for transition in transitions:
            baseline = "none" if transition.baseline is None else f"{transition.baseline:g}"
            line = (
                f"{transition.at:%Y-%m-%d %H:%M} UTC  {transition.previous:>8} -> "
                f"{transition.level:<8}  count {transition.count:g}, usual {baseline}, "
                f"x{transition.ratio:g}"
            )
            if spike:
                minutes = (transition.at - spike).total_seconds() / 60
                line += f"  ({minutes:+.0f} min from the spike's start)"
            self.stdout.write(line)
        if spike:
            likely = next((t for t in transitions if t.level == LIKELY and t.at >= spike), None)
            early = [t for t in transitions if t.at < spike]
            if likely:
                minutes = (likely.at - spike).total_seconds() / 60
                self.stdout.write(f"'likely' reached {minutes:.0f} minutes after the spike began.")
            else:
                self.stdout.write("'likely' was never reached after the spike began.")
            self.stdout.write(
                f"State changes before the spike: {len(early)}"
                + (" (false alarms)" if early else " (quiet on normal days)")
            )
