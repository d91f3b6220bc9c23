"""挂图作战: the dashboard leaders read in ten seconds, and the Excel ledger (台账)."""
