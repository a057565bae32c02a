"""The season simulator: fictional skaters, realistic races, whole competitions run
through the same services the officials use. Everything it makes is labelled simulated."""
