"""Tasks (督办事项), their targets, monthly milestones, progress reports, comments and audit."""
