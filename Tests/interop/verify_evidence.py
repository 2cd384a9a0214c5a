#!/usr/bin/env python3
"""An independent verifier of refgate evidence bundles, written from the bundle's VERIFY.md
with joserfc, cryptography and hashlib only (zipfile and json from the standard library).

    verify_evidence.py BUNDLE.zip ca.pem

Prints {"verified": bool, "failures": [...], "checked": {...}} and exits 0 when verified."""
import base64
import hashlib
import json
import sys
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from joserfc import jws
from joserfc.jwk import ECKey

failures = []
checked = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sha256hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def header_of(compact: str) -> dict:
    part = compact.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def verify_jws(compact: str, public_key, typ: str):
    """Returns the payload bytes, or None (with a failure recorded by the caller)."""
    header = header_of(compact)
    if header.get("typ") != typ or header.get("alg") != "ES256":
        return None
    try:
        token = jws.deserialize_compact(compact, ECKey.import_key(public_key), algorithms=["ES256"])
    except Exception:  # noqa: BLE001 - any refusal is a failure
        return None
    return token.payload


def thumbprint(cert) -> str:
    return b64url(hashlib.sha256(cert.public_bytes(Encoding.DER)).digest())


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def verify_inclusion(index, size, leaf, proof, root) -> bool:
    # RFC 9162 §2.1.3.2, as VERIFY.md step 4.3 gives it.
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old, new, old_root, new_root, proof) -> bool:
    # RFC 9162 §2.1.4.2, as VERIFY.md step 5.3 gives it.
    if old == new:
        return not proof and old_root == new_root
    if old == 0 or old > new:
        return False
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old - 1, new - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def main(bundle_path: str, ca_path: str) -> int:
    ca = x509.load_pem_x509_certificate(open(ca_path, "rb").read())
    with zipfile.ZipFile(bundle_path) as bundle:
        files = {name: bundle.read(name) for name in bundle.namelist() if not name.endswith("/")}

    manifest_bytes = files.get("manifest.json")
    if manifest_bytes is None:
        print(json.dumps({"verified": False, "failures": ["no manifest.json"], "checked": {}}))
        return 1
    manifest = json.loads(manifest_bytes)
    case_id, authority = manifest["case"], manifest["authority"]

    # Step 2: directories signed by the CA; the sign certificates they list.
    signers = {}  # kid -> (authority, public key)
    for name in sorted(n for n in files if n.startswith("directory/")):
        compact = files[name].decode().strip()
        payload = verify_jws(compact, ca.public_key(), "refgate-directory+jws")
        if payload is None or header_of(compact).get("kid") != thumbprint(ca):
            failures.append(f"{name}: not signed by the regional CA")
            continue
        for entry in json.loads(payload)["authorities"]:
            for pem in (entry.get("signCertificate"), entry.get("nextSignCertificate")):
                if pem:
                    cert = x509.load_pem_x509_certificate(pem.encode())
                    signers[thumbprint(cert)] = (entry["id"], cert.public_key())
    for name in sorted(n for n in files if n.startswith("certificates/")):
        cert = x509.load_pem_x509_certificate(files[name])
        try:
            cert.verify_directly_issued_by(ca)
            ok = thumbprint(cert) == name[len("certificates/"):-len(".pem")] and thumbprint(cert) in signers
        except Exception:  # noqa: BLE001
            ok = False
        if not ok:
            failures.append(f"{name}: not a listed sign certificate issued by the CA")
    checked["directories"] = len([n for n in files if n.startswith("directory/")])

    def signed(name: str, typ: str, by: str):
        compact = files.get(name, b"").decode()
        if not compact:
            failures.append(f"{name}: missing")
            return None
        kid = header_of(compact).get("kid")
        if kid not in signers or signers[kid][0] != by:
            failures.append(f"{name}: not signed by a listed key of {by}")
            return None
        payload = verify_jws(compact, signers[kid][1], typ)
        if payload is None:
            failures.append(f"{name}: signature does not verify")
        return payload

    # Step 1: the manifest.
    payload = signed("manifest.jws", "refgate-evidence+jws", authority)
    if payload is not None and payload != manifest_bytes:
        failures.append("manifest.jws does not sign manifest.json")
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    for name, digest in listed.items():
        if name not in files:
            failures.append(f"{name}: listed but missing")
        elif sha256hex(files[name]) != digest:
            failures.append(f"{name}: SHA-256 differs from the manifest")
    for name in files:
        if name not in listed and name not in ("manifest.json", "manifest.jws"):
            failures.append(f"{name}: not in the manifest")

    # Step 3: messages and receipts.
    def check_receipt(name: str, message_bytes: bytes, message_id: str, by: str):
        payload = signed(name, "refgate-message+jws", by)
        if payload is None:
            return
        receipt = json.loads(payload)
        if (
            receipt.get("type") != "receipt"
            or receipt.get("messageId") != message_id
            or receipt.get("messageDigest") != b64url(hashlib.sha256(message_bytes).digest())
        ):
            failures.append(f"{name}: not the receipt of {message_id}'s exact bytes")

    messages = sorted(n for n in files if n.startswith("messages/"))
    for name in messages:
        compact = files[name].decode()
        try:
            body = json.loads(base64.urlsafe_b64decode(compact.split(".")[1] + "=" * (-len(compact.split(".")[1]) % 4)))
        except Exception:  # noqa: BLE001
            failures.append(f"{name}: not a JWS")
            continue
        payload = signed(name, "refgate-message+jws", body.get("from"))
        if payload is None:
            continue
        message = json.loads(payload)
        if message.get("caseId") != case_id or not name.endswith(f"-{message['id']}.jws"):
            failures.append(f"{name}: not message {message.get('id')} of case {case_id}")
        check_receipt(f"receipts/{message['id']}.jws", files[name], message["id"], message["to"])
    checked["messages"] = len(messages)

    # Step 4: audit entries, inclusion proofs, the signed tree head.
    proofs = json.loads(files.get("audit/proofs.json", b"{}") or b"{}")
    head_payload = signed("audit/tree-head.jws", "refgate-tree-head+jws", authority)
    if head_payload is None:
        print(json.dumps({"verified": False, "failures": failures, "checked": checked}))
        return 1
    head = json.loads(head_payload)
    if (
        head.get("treeSize") != proofs.get("treeSize")
        or head.get("rootHash") != proofs.get("rootHash")
        or head.get("authority") != authority
    ):
        failures.append("audit/tree-head.jws does not match audit/proofs.json")
    root, size = bytes.fromhex(head["rootHash"]), head["treeSize"]
    proven = set()
    for item in proofs.get("entries", []):
        data = files.get(item["file"])
        if data is None:
            failures.append(f"{item['file']}: missing")
            continue
        entry = json.loads(data)
        proof = [bytes.fromhex(h) for h in item["proof"]]
        if entry.get("seq") != item["index"] or entry.get("case") != case_id:
            failures.append(f"{item['file']}: not entry {item['index']} of case {case_id}")
        elif not verify_inclusion(item["index"], size, leaf_hash(data), proof, root):
            failures.append(f"{item['file']}: inclusion proof fails")
        proven.add(item["file"])
    for name in files:
        if name.startswith("audit/entries/") and name not in proven:
            failures.append(f"{name}: no inclusion proof")
    checked["entries"] = len(proven)

    # Step 5: heads peers witnessed.
    for item in proofs.get("witnessed", []):
        payload = signed(item["checkpoint"], "refgate-message+jws", authority)
        if payload is None:
            continue
        checkpoint = json.loads(payload)
        tree_head = checkpoint.get("treeHead", "")
        kid = header_of(tree_head).get("kid") if tree_head else None
        witnessed = verify_jws(tree_head, signers[kid][1], "refgate-tree-head+jws") if kid in signers else None
        if checkpoint.get("to") != item["peer"] or witnessed is None or json.loads(witnessed)["treeSize"] != item["treeSize"]:
            failures.append(f"{item['checkpoint']}: not a checkpoint of {item['treeSize']} entries to {item['peer']}")
            continue
        check_receipt(item["receipt"], files[item["checkpoint"]], checkpoint["id"], item["peer"])
        old_root = bytes.fromhex(json.loads(witnessed)["rootHash"])
        if not verify_consistency(item["treeSize"], size, old_root, root, [bytes.fromhex(h) for h in item["consistency"]]):
            failures.append(f"{item['checkpoint']}: the bundle's head does not extend the witnessed one")
    checked["witnessed"] = len(proofs.get("witnessed", []))

    print(json.dumps({"verified": not failures, "failures": failures, "checked": checked}))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
