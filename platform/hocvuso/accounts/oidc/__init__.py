"""Sign-in with a province's or the national identity provider over OpenID
Connect: allauth's openid_connect provider, made stricter.

allauth's provider trusts an ID token fetched straight from the token
endpoint without checking its signature (the specification allows it over
TLS), sends no nonce, keeps every claim the provider hands over and takes
`sub` from the userinfo answer alone. Ours (settings.SOCIALACCOUNT_PROVIDERS
names the class) checks the signature against the provider's keys with an
asymmetric algorithm only, requires the nonce it sent and the same `sub` in
the token and in userinfo, keeps only the claims we use, and answers a bad
token with allauth's error page instead of a crash. Which account a login
reaches is the adapter's business (accounts.social_adapter).
"""
