"""The children's kiosk: tablets, taps into a report, picture codes, and their admin."""
