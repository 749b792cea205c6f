"""Rules on CORS policies of any framework (COR0xx), with the policy helpers they share."""
