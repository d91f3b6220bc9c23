"""The follow-up loop: reminders, escalation, the notifications outbox and its senders."""
