"""PRX: the proxy in front of the app (nginx), read together with the app it fronts."""
