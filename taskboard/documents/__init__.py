"""The office's paper: 督办通知单 for tasks and the monthly 督办情况通报."""
