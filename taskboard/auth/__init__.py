"""Users, log-in and passwords."""
