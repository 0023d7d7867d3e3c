"""Processing a signed deal (办理): milestones, problems, loan, taxes, handover, progress, after-sales."""
