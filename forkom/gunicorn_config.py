"""gunicorn's settings for serving the portal: `gunicorn forkom.wsgi -c forkom/gunicorn_config.py`.

The access log records the path, never the query string or the referrer: searches and list
filters carry names, phone numbers and emails there (the admin's search, the cadre list), and
DESIGN.md keeps personal data out of logs.
"""

accesslog = "-"
# Client, time, method, path (%(U)s: without the query string), protocol, status, bytes,
# duration in ms, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
