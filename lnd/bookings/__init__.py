"""Sessions, bookings, waitlists, approval, attendance, calendar invites and feedback."""
