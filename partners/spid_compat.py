"""spid-cie-oidc 1.2.0 (the newest release that allows Django 5) with a current
cryptography.

Its ``entity.jwks.serialize_rsa_key`` tells a public from a private key with
``isinstance`` against ``cryptography.hazmat.backends.openssl.rsa``'s classes, which
cryptography 42 removed (its keys are Rust objects now): serving the entity configuration
then fails. Rather than pin cryptography 41, with its known advisories, the function is
replaced by the same one written against the public ``RSAPublicKey``/``RSAPrivateKey``
interfaces, in each module of the library that imported it. Upstream 1.6 needs Django < 5.
"""

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptojwt.jwk.rsa import RSAKey


def serialize_rsa_key(rsa_key, kind="public", hash_func="SHA-256"):
    """The library's function, with the key's kind read from cryptography's interfaces."""
    from spid_cie_oidc.entity import jwks

    if isinstance(rsa_key, rsa.RSAPublicKey):
        data = {"pub_key": rsa_key}
    elif isinstance(rsa_key, rsa.RSAPrivateKey):
        data = {"priv_key": rsa_key}
    elif kind == "private":
        data = {"priv_key": jwks.private_jwk_from_pem(rsa_key)}
    else:
        data = {"pub_key": jwks.public_jwk_from_pem(rsa_key)}
    jwk_obj = RSAKey(**data)
    thumbprint = jwk_obj.thumbprint(hash_function=hash_func)
    jwk = jwk_obj.to_dict()
    jwk["kid"] = thumbprint.decode()
    return jwk


def apply() -> None:
    from spid_cie_oidc.entity import jwks, models, validators

    for module in (jwks, models, validators):
        if hasattr(module, "serialize_rsa_key"):
            module.serialize_rsa_key = serialize_rsa_key
