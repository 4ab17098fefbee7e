"""Counting signals into 5-minute SignalBucket rows: one overall row (component "" and
region ""), one row per component and one per region."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from django.db import connection

from incidents.detection.stats import BUCKET, bucket_floor
from incidents.models import SignalBucket

SignalKey = tuple[datetime, str, str]  # bucket_start, component, region


def signal_spread(
    *,
    moment: datetime,
    count: float,
    minutes: int = 5,
    components: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> Iterator[tuple[SignalKey, float]]:
    """The bucket increments for `count` signals that happened over `minutes` from `moment`."""
    spans = max(1, round(minutes / (BUCKET.total_seconds() / 60)))
    share = count / spans
    components = [c[:60] for c in components if c]
    regions = [r[:60] for r in regions if r]
    start = bucket_floor(moment)
    for index in range(spans):
        bucket = start + BUCKET * index
        yield (bucket, "", ""), share
        for component in components:
            yield (bucket, component, ""), share
        for region in regions:
            yield (bucket, "", region), share


def signal_buckets_add(*, service_id: int, counts: Mapping[SignalKey, float]) -> None:
    """Add `counts` to the buckets in one upsert per row (INSERT … ON CONFLICT DO UPDATE, in
    SQLite and PostgreSQL alike): the increment happens in the database, so concurrent
    writers add up instead of overwriting each other."""
    rows = [
        (service_id, connection.ops.adapt_datetimefield_value(bucket_start), component, region,
         delta)
        for (bucket_start, component, region), delta in sorted(counts.items())
        if delta
    ]  # fmt: skip
    if not rows:
        return
    table = connection.ops.quote_name(SignalBucket._meta.db_table)
    # Only the table name is interpolated (from the model); every value is a parameter.
    sql = (
        f"INSERT INTO {table} (service_id, bucket_start, component, region, count) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (service_id, bucket_start, component, region) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
