"""CPD records and Social Work England registration-year readiness."""
