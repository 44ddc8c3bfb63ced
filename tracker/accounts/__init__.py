"""Who someone is: login, second factor, invitation and password links."""
