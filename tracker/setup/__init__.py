"""First run and the demo school."""
