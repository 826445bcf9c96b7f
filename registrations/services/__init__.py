"""Business operations on registrations: one function per operation, one transaction each.

Views, admin actions and Celery tasks call these and nothing below them.
"""
