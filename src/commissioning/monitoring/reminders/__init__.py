"""Reminders about monitoring returns (MO3): see services.py."""
