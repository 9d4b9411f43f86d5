"""The nurse station: PIN sign-in, the queue of consents, one consent with its actions,
printing and the dashboard. Every look at a patient's record leaves an audit entry."""
