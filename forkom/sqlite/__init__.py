"""Django's SQLite backend, with the integer limits of PostgreSQL (base.py)."""
