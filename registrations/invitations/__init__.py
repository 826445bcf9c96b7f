"""Invitations to an organisation's contact list (issue 16): contacts, mailings, reminders,
results. The mails themselves go through the one outbox (registrations.mails)."""
