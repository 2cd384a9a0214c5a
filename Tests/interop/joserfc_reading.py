#!/usr/bin/env python3
"""How an ordinary JOSE library reads a JWS: joserfc verifies each ES256 signature with the
given P-256 public key (JWK) and Python's json module reads the payload, as a regulator's tool
would. Reads a JSON array of {"jws", "jwk"} on stdin; prints a JSON array of
{"accepted": bool, "payload": <base64 of the JSON read, re-serialized with sorted keys, or
null>, "error": str}. Base64, because what Python reads (a lone surrogate, say) need not be
something another JSON reader can take back."""
import base64, json, sys

from joserfc import jws
from joserfc.jwk import ECKey


def read(item):
    try:
        key = ECKey.import_key(item["jwk"])
        token = jws.deserialize_compact(item["jws"], key, algorithms=["ES256"])
        text = json.dumps(json.loads(token.payload), sort_keys=True, ensure_ascii=False)
        encoded = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()
        return {"accepted": True, "payload": encoded, "error": ""}
    except Exception as error:  # noqa: BLE001 - any refusal is an answer here
        return {"accepted": False, "payload": None, "error": f"{type(error).__name__}: {error}"}


print(json.dumps([read(item) for item in json.load(sys.stdin)]))
