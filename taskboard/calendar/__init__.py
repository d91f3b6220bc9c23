"""Working days: the Chinese holiday calendar plus the admin's own table of exceptions."""
