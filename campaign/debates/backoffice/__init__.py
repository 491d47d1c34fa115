"""The debate back office: scheduling, venues, invitations, registrations (blueprint ``debates_admin``)."""
