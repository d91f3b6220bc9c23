"""The signed-in person's own page: how they hear from Taskboard (digest, e-mail)."""
