"""Rules on where browsers and servers keep tokens: web storage and cookies (TOK0xx)."""
