"""Rules on JWT minting and verification (JWT0xx), with the lifetime helpers they share."""
