"""What every module needs: auth and role guards, audit log, clock, working days, mail, CSV helpers."""
