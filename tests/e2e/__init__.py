"""Browser tests of every role's day (a package, so that its conftest has a name of its own)."""
