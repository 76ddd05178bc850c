"""The mail outage benchmark behind `manage.py bench_mail` (issue 13): a database of its own,
the site as production runs it (gunicorn, the task worker) sending through a local SMTP server
that refuses and then accepts, a load of signed-in cadres, and the accounting of every email.

- `database`: the benchmark's PostgreSQL database, created, migrated and dropped;
- `people`: verified cadres and published trainings, made through the services;
- `processes`: gunicorn and `db_worker` as child processes, with their logs;
- `load`: the clients (urllib, a cookie jar each) and the tally of their requests;
- `delivery`: waiting for the outbox to empty and checking what the server received.
"""
