"""The ASYE portfolio: enrolment, evidence, observations, reviews and sign-off."""
