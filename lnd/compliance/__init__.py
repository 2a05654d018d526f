"""Who must do what by when: required learning, statuses and the home page."""
