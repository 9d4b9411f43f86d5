"""Reusable kiosk widgets: keyboard, date pad, signature pad, picture view."""
