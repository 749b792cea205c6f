"""Rules on Socket.IO servers and clients (SIO0xx)."""
