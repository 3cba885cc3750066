"""Two-factor authentication (TOTP, with recovery codes) for the password logins of
project leads and administrators; docs/access.md, "Two-factor authentication"."""
