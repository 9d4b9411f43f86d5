"""Vertebroplasty consent kiosk."""
