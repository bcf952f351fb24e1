from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """For the random one-time passwords printed on an import sheet.

    Thousands are made in one import, so the full PBKDF2 cost (about 0.3 s
    each) would keep a 10,000-row import running for an hour. They are random
    (10 characters from 31: about 49 bits), must be changed at first login,
    and Django re-hashes them with the default hasher on that login.
    """

    algorithm = "pbkdf2_initial"
    iterations = 2_000
