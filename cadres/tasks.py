"""The cadres app's background tasks (django.tasks, run by `manage.py db_worker`)."""

from django.tasks import task

from cadres import exports


@task
def build_export(job_id: int) -> None:
    exports.build_export(job_id)


@task
def check_import(import_id: int) -> None:
    from cadres.imports import services

    services.run_check(import_id)


@task
def run_import(import_id: int) -> None:
    from cadres.imports import services

    services.run_import(import_id)


@task
def deliver_announcement(announcement_id: int) -> None:
    from cadres.announcements import services

    services.deliver(announcement_id)
