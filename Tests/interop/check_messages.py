#!/usr/bin/env python3
"""Independent check of refgate messages: reads a JSON array of {"jws", "certificate" (PEM)}
on stdin; verifies each ES256 signature with joserfc using the certificate's public key and
checks kid = base64url SHA-256 of the certificate DER; validates each payload with jsonschema
(Draft 2020-12, formats asserted) against the schemas folder given as argv[1]."""
import base64, hashlib, json, pathlib, sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jws
from joserfc.jwk import ECKey
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    folder = pathlib.Path(sys.argv[1])
    resources = []
    schemas = {}
    for path in folder.glob("*.schema.json"):
        doc = json.loads(path.read_text())
        resources.append((doc["$id"], Resource.from_contents(doc)))
        schemas[path.name] = doc
    registry = Registry().with_resources(resources)
    items = json.load(sys.stdin)
    for item in items:
        cert = x509.load_pem_x509_certificate(item["certificate"].encode())
        kid = b64url(hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest())
        key = ECKey.import_key(
            cert.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        token = jws.deserialize_compact(item["jws"], key, algorithms=["ES256"])
        header = token.protected
        assert header["alg"] == "ES256", header
        assert header["typ"] == "refgate-message+jws", header
        assert header["kid"] == kid, f"kid {header['kid']} is not the certificate thumbprint {kid}"
        payload = json.loads(token.payload)
        schema = schemas[f"{payload['type']}.schema.json"]
        validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
        if errors:
            raise SystemExit(f"{payload['type']} {payload['id']}: {errors[0].message} at {list(errors[0].path)}")
    print(f"{len(items)} messages: signatures valid (joserfc), payloads valid (jsonschema)")


if __name__ == "__main__":
    main()
