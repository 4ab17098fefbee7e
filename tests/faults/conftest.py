"""Fixtures of the fault tests: worker processes stopped at the end of each test."""

import pytest

from tests.support.workers import Worker


@pytest.fixture
def workers(tmp_path):
    """Every Worker made with this is stopped at the end of the test, whatever happened."""
    made: list[Worker] = []

    def make(env: dict, queues: str, concurrency: int = 2, name: str = "worker") -> Worker:
        worker = Worker(env, tmp_path / f"{name}.log", queues, concurrency)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
