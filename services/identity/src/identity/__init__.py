"""identity: accounts, roles, scopes, sign-in, access and refresh tokens for open ESIS."""
