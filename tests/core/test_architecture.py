"""The layering rules the tools check:

- no function-level import of a project module: a lazy import is how a circle of modules hides,
  so each one left is listed below with why;
- tasks are enqueued only in `tasks.py` and `receivers.py` modules (services never call a task:
  they send an event or return what must be enqueued);
- every task is named `<app>.<function>`, ends in `_task` and declares its queue on its decorator,
  and beat's scheduler sends each job to the queue its task declares.

The sources are parsed, not imported, so a rule broken in a module no test imports is caught.
"""

import ast
import functools
import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = {
    "comments",
    "demo",
    "incidents",
    "newsroom",
    "notifications",
    "outagedesk",
    "public",
}
NOT_PROJECT_CODE = {".venv", "tests", "bench", "migrations", "node_modules"}
ENQUEUE_METHODS = {"delay", "delay_on_commit", "apply_async", "apply_async_on_commit", "send_task"}
ENQUEUE_MODULES = {"tasks.py", "receivers.py"}
QUEUES = {"default", "gather", "notify"}

# (module, function) -> why the import inside that function stays. Keep it short: an entry that
# no longer matches anything fails the test below, so the list never outlives its reasons.
# Empty: apps.py ready() (receivers connected once the app registry is ready) is the only
# place a project module is imported inside a function.
LAZY_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}
# (module, function) -> why a task is enqueued there. Empty: tasks.py and receivers.py suffice.
ENQUEUES_ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Finding:
    path: str
    function: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}(): {self.what}"


def project_modules() -> list[tuple[str, ast.Module]]:
    return _parsed(ROOT)


@functools.cache
def _parsed(root: Path) -> list[tuple[str, ast.Module]]:
    modules = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if NOT_PROJECT_CODE & set(parts) or any(p.startswith(".") for p in parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        modules.append(("/".join(parts), tree))
    return modules


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _imported_project_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:  # relative: always this project
            return ["." * node.level + (node.module or "")]
        names = [node.module or ""]
    else:
        return []
    return [name for name in names if name.split(".")[0] in PROJECT_PACKAGES]


def lazy_imports(path: str, tree: ast.AST) -> list[Finding]:
    """Imports of project modules inside a function. An app's `ready()` is where Django says
    to connect receivers (the app registry is ready only then), so it is not one."""
    found = []
    for function in _functions(tree):
        if path.endswith("apps.py") and function.name == "ready":
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in _imported_project_modules(node):
                found.append(Finding(path, function.name, node.lineno, f"imports {module}"))
    return found


def enqueues(path: str, tree: ast.AST) -> list[Finding]:
    """Calls that hand a task to the broker, outside the modules made for it."""
    if Path(path).name in ENQUEUE_MODULES:
        return []
    owner: dict[ast.AST, str] = {}
    for function in _functions(tree):
        for node in ast.walk(function):
            owner.setdefault(node, function.name)  # outermost first: ast.walk is breadth-first
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ENQUEUE_METHODS
        ):
            caller = owner.get(node, "<module>")
            found.append(Finding(path, caller, node.lineno, f".{node.func.attr}()"))
    return found


def _not_allowed(findings: list[Finding], allowed: dict) -> list[Finding]:
    return [f for f in findings if (f.path, f.function) not in allowed]


def test_no_function_level_import_of_a_project_module():
    found = [f for path, tree in project_modules() for f in lazy_imports(path, tree)]
    bad = _not_allowed(found, LAZY_IMPORTS_ALLOWED)
    assert not bad, "move these imports to the top, or break the circle they hide:\n" + "\n".join(
        map(str, bad)
    )
    stale = set(LAZY_IMPORTS_ALLOWED) - {(f.path, f.function) for f in found}
    assert not stale, f"allow-list entries that match nothing any more, remove them: {stale}"


def test_tasks_are_enqueued_only_by_tasks_and_receivers():
    found = [f for path, tree in project_modules() for f in enqueues(path, tree)]
    bad = _not_allowed(found, ENQUEUES_ALLOWED)
    assert not bad, (
        "enqueue from a tasks.py or receivers.py module (a service sends an event or returns "
        "what must be enqueued):\n" + "\n".join(map(str, bad))
    )


SAMPLE = """
from incidents.models import Incident


def publish(update):
    from notifications.tasks import fanout_update_task
    import json
    fanout_update_task.delay_on_commit(update.pk)


class Config:
    def ready(self):
        from . import receivers
"""


def test_the_checks_see_what_they_forbid():
    """The checks above pass on the project only because they would catch these."""
    tree = ast.parse(SAMPLE)
    assert [str(f) for f in lazy_imports("notifications/services.py", tree)] == [
        "notifications/services.py:6 in publish(): imports notifications.tasks",
        "notifications/services.py:13 in ready(): imports .",
    ]
    # In an apps.py, ready() is where receivers are connected: only publish() is reported.
    assert [f.function for f in lazy_imports("notifications/apps.py", tree)] == ["publish"]
    assert [str(f) for f in enqueues("notifications/services.py", tree)] == [
        "notifications/services.py:8 in publish(): .delay_on_commit()"
    ]
    assert enqueues("notifications/receivers.py", tree) == []


def _project_tasks() -> dict:
    for path, _tree in project_modules():
        if Path(path).name == "tasks.py":
            importlib.import_module(path.removesuffix(".py").replace("/", "."))
    from outagedesk.celery import app

    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


# Which queue each task runs on: gathering never waits behind a notification fan-out.
EXPECTED_QUEUES = {
    "incidents.due_sources_task": "gather",
    "incidents.gather_source_task": "gather",
    "incidents.detect_task": "gather",
    "incidents.staff_alert_task": "gather",
    # Reader reports: beside the comment checks, never behind a slow source's poll.
    "incidents.reader_reports_store_task": "default",
    "incidents.report_targets_refresh_task": "default",
    "notifications.fanout_update_task": "notify",
    "notifications.deliver_batch_task": "notify",
    "notifications.sweep_task": "notify",
    "notifications.purge_unconfirmed_task": "notify",
    "notifications.send_confirmation_task": "notify",
    "notifications.send_owner_notice_task": "notify",
    "outagedesk.scheduler_tick_task": "default",
    "comments.comment_auto_moderate_task": "default",
    "comments.comments_auto_moderate_stale_task": "default",
}


def test_every_task_is_named_after_its_function_and_declares_its_queue():
    tasks = _project_tasks()
    assert set(tasks) == set(EXPECTED_QUEUES)
    for name, task in tasks.items():
        app_label = task.run.__module__.split(".")[0]
        assert name == f"{app_label}.{task.run.__name__}", name
        assert name.endswith("_task"), name
        assert task.queue in QUEUES, (name, task.queue)
    from outagedesk.celery import app

    assert not app.conf.task_routes  # the decorators say it all


def _drain(app) -> dict[str, list[str]]:
    """The task names waiting in each queue of the in-memory broker, which is emptied."""
    found = {}
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in sorted(QUEUES):
            channel.queue_declare(queue)
            names = []
            while (message := channel.basic_get(queue, no_ack=True)) is not None:
                names.append(message.headers["task"])
            found[queue] = names
    return found


@pytest.fixture
def memory_broker(settings):
    """This process's Celery app sending, for real, to kombu's in-memory broker. The app reads
    its broker settings from Django's at each use (pytest-django restores them); only its
    references to the connection pools of the previous broker are dropped, in and out."""
    from outagedesk.celery import app

    def forget_pools() -> None:
        # Private caches of the app (not in the stubs): dropping them is the point here.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    tasks = _project_tasks()
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    forget_pools()
    _drain(app)
    yield app, tasks
    _drain(app)
    forget_pools()


def test_each_task_is_sent_to_the_queue_it_declares(memory_broker):
    app, tasks = memory_broker
    for task in tasks.values():
        required = [
            p for p in inspect.signature(task.run).parameters.values() if p.default is p.empty
        ]
        task.apply_async(args=[0] * len(required))  # never run: the messages are only read
    sent = _drain(app)
    expected: dict[str, list[str]] = {queue: [] for queue in QUEUES}
    for name in sorted(EXPECTED_QUEUES):
        expected[EXPECTED_QUEUES[name]].append(name)
    assert {queue: sorted(names) for queue, names in sent.items()} == expected


@pytest.mark.django_db
def test_the_scheduler_sends_each_due_job_to_its_tasks_queue(
    memory_broker, django_capture_on_commit_callbacks
):
    from outagedesk.models import ScheduledJob
    from outagedesk.tasks import scheduler_tick_task

    app, _tasks = memory_broker
    with django_capture_on_commit_callbacks(execute=True):
        sent = scheduler_tick_task()
    assert sorted(sent) == [
        "comments-checks-sweep",
        "detect",
        "gather-due-sources",
        "notify-purge-unconfirmed",
        "notify-sweep",
        "reader-report-targets",
        "reader-reports-store",
    ]
    assert {queue: sorted(names) for queue, names in _drain(app).items()} == {
        "default": [
            "comments.comments_auto_moderate_stale_task",
            "incidents.reader_reports_store_task",
            "incidents.report_targets_refresh_task",
        ],
        "gather": ["incidents.detect_task", "incidents.due_sources_task"],
        "notify": ["notifications.purge_unconfirmed_task", "notifications.sweep_task"],
    }
    # A job whose task no worker knows (a typo in the admin) is not sent anywhere.
    ScheduledJob.objects.filter(name="detect").update(
        task_name="incidents.detect", next_run_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick_task() == []
    assert _drain(app) == {queue: [] for queue in QUEUES}
