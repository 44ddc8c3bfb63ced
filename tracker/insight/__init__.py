"""What the school learns: /overzicht, the yearly overview, exports and `flask stats`."""
