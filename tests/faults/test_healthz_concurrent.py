"""/healthz probed by several checkers at once (a load balancer checking each web worker, a
monitor, a deploy script) reports what is true: in the embedded mode the broker is a folder,
and probes running together must not report it down because of each other."""

import threading

from outagedesk.health import check_broker


def test_concurrent_broker_probes_all_succeed(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "queue")}
    failures: list[BaseException] = []

    def probe() -> None:
        for _ in range(200):
            try:
                check_broker()
            except Exception as exc:  # collected: the assertion below names them
                failures.append(exc)

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
