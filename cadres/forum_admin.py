"""Admin pages of forums (registered on import by cadres/admin.py)."""
