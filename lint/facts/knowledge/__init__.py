"""What the libraries and servers accept, as tables: Socket.IO options, nats-server keys, and how
each library reads a duration."""
