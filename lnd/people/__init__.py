"""People, teams, job roles, roles and the manager hierarchy."""
