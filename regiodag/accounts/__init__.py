"""Organiser accounts: lockout, the second factor and the limits of a session."""
