"""The JSON API under /api/v1: the same services and permission rules as the pages."""
