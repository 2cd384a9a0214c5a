"""An independent RFC 6962 / RFC 9162 Merkle tree (hashlib only), written from the RFC's
recursive definitions, to cross-check refgate's MerkleTree.

Reads entries (hex, one per line) on stdin; prints for each tree size n = 1..N the root, the
audit paths of leaves 0, 7, 14, ... and consistency proofs from sizes 1, 6, 11, ... to n.
"""
import hashlib
import sys


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list) -> bytes:
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(d[0])
    k = split(n)
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list) -> list:
    n = len(d)
    if n <= 1:
        return []
    k = split(n)
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m: int, d: list, b: bool) -> list:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = split(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def main() -> None:
    entries = [bytes.fromhex(line.strip()) for line in sys.stdin.read().splitlines()]
    out = []
    for n in range(1, len(entries) + 1):
        d = entries[:n]
        out.append(f"root {n} {mth(d).hex()}")
        for i in range(0, n, 7):
            out.append(f"path {i} {n} {','.join(h.hex() for h in path(i, d))}")
        for m in range(1, n + 1, 5):
            out.append(f"proof {m} {n} {','.join(h.hex() for h in subproof(m, d, True))}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
