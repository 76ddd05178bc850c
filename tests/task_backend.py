"""The task backend of the tests: a task runs when the transaction that enqueued it commits
(at once outside one), which is when the worker would first see it; a task that fails fails
the test instead of being recorded quietly."""

from functools import partial

from django.db import transaction
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils.crypto import get_random_string


class AfterCommitBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(partial(self._run, task_result), using="default")
        return task_result

    def _run(self, task_result):
        self._execute_task(task_result)
        if task_result.status == TaskResultStatus.FAILED:
            raise AssertionError(
                f"Task {task_result.task.name} failed:\n" + (task_result.errors[-1].traceback)
            )
