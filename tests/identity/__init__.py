"""A real OpenID Connect provider the tests start, and ask for tokens as any client would."""
