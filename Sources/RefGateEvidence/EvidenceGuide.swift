/// `VERIFY.md`, shipped in every bundle: how to check each part without refgate.
enum EvidenceGuide {
    static let text = #"""
        # How to verify this evidence bundle

        This ZIP holds the record of one reference-verification case, exported by the local
        authority named in `manifest.json`. Everything in it can be checked with `openssl`,
        `sha256sum` and any JOSE (JWS) library, given one thing from outside the bundle: the
        **regional CA certificate** (`ca.pem`), obtained from the regional coordinator. Do not
        take a CA certificate from the bundle itself.

        `refgate evidence verify BUNDLE.zip --ca-cert ca.pem` runs all the checks below.

        ## Conventions

        - A **JWS** is compact serialisation `HEADER.PAYLOAD.SIGNATURE` (RFC 7515), base64url
          without padding. Every JWS here uses `alg` `ES256` (ECDSA P-256 with SHA-256; the
          signature is the 64-byte `r || s`). Its `kid` is the base64url SHA-256 of the signing
          certificate's DER encoding. Its `typ` says what it is:
          `refgate-directory+jws`, `refgate-message+jws`, `refgate-tree-head+jws`,
          `refgate-evidence+jws`.
        - Hashes in `manifest.json` and `audit/proofs.json` are SHA-256 in lower-case hex.
        - Times are RFC 3339, UTC.

        ## 1. The manifest: nothing added, removed or changed

        1. `manifest.jws` is a JWS whose payload is exactly the bytes of `manifest.json`; its
           `kid` names the exporting authority's sign certificate (step 2), whose key must
           verify it.
        2. `manifest.json` lists every other file of the bundle with its SHA-256. Check each one
           (`sha256sum FILE`), and that the bundle holds no file the manifest does not list.

        ## 2. Certificates and the directory

        1. `directory/vN.jws` are the signed regional directories in force during the case. Each
           is a JWS (`typ` `refgate-directory+jws`) signed by the regional CA: verify it with the
           public key of `ca.pem` (its `kid` is the SHA-256 thumbprint of `ca.pem`'s DER).
        2. Each directory's payload lists the authorities (`authorities[].id`) with their
           `signCertificate` (PEM; `nextSignCertificate` during a key rotation).
        3. `certificates/KID.pem` are those sign certificates, named by thumbprint. Check each
           with `openssl verify -CAfile ca.pem certificates/KID.pem`, and that its SHA-256
           thumbprint (base64url of the DER's SHA-256) is its file name.
        4. A signature below is good only if its `kid` is a certificate listed in one of these
           directories for the authority the message says signed it.

        ## 3. Messages and receipts

        1. `messages/NN-KIND-ID.jws` are the case's messages exactly as exchanged, in order.
           Each is a JWS (`typ` `refgate-message+jws`); its payload is JSON with `type`, `id`,
           `from`, `to`, `sentAt` and `caseId`. Verify it with the certificate of its `kid`,
           which must be listed for the authority in `from`. `caseId` must be the manifest's
           `case`, and `id` the ID in the file name.
        2. `receipts/ID.jws` is the signed receipt for message `ID`: a JWS whose payload has
           `type` `receipt`, `messageId` = `ID` and `messageDigest` = base64url(SHA-256 of the
           message file's exact bytes). It is signed by the authority that received the message
           (the message's `to`): that authority acknowledged these exact bytes.

        ## 4. The audit entries and the signed tree head

        The authority keeps an append-only audit log of every action (messages in and out,
        status changes, escalations, acknowledgements, deadlines passed, notifications), hashed
        into a Merkle tree as RFC 6962 (Certificate Transparency) defines it:

        - leaf hash = SHA-256(0x00 || entry bytes)
        - node hash = SHA-256(0x01 || left || right)
        - a tree of n > 1 leaves splits at k, the largest power of two smaller than n.

        1. `audit/tree-head.jws` is a JWS (`typ` `refgate-tree-head+jws`) signed by the
           exporting authority's sign key. Its payload gives `authority`, `treeSize`,
           `rootHash` (hex) and `timestamp`. `audit/proofs.json` repeats `treeSize` and
           `rootHash`; they must match.
        2. `audit/entries/SEQ.json` are the case's entries, byte-exact. Each is JSON with `seq`
           (its leaf index), `at`, `action`, `case` (the manifest's `case`), `subject`, `actor`
           (who acted) and `detail`.
        3. For each entry in `audit/proofs.json` `entries` (index, file, proof): compute the leaf
           hash of the file's bytes and verify the inclusion proof against `rootHash` for
           `treeSize` leaves, with the algorithm of RFC 9162 §2.1.3.2:

           ```
           fn = index; sn = treeSize - 1; r = leaf hash
           for p in proof:
               if sn == 0: fail
               if fn is odd or fn == sn:
                   r = SHA-256(0x01 || p || r)
                   if fn is even: while fn is even and fn != 0: fn >>= 1; sn >>= 1
               else:
                   r = SHA-256(0x01 || r || p)
               fn >>= 1; sn >>= 1
           succeed if sn == 0 and r == rootHash
           ```
        4. Every file under `audit/entries/` must appear in `entries`, and its `seq` must be its
           index. The bundle holds no other case's entries: the proofs contain only hashes.

        ## 5. What peers witnessed

        The authority hands its signed tree heads to the peers it exchanges with (a
        `checkpoint` message); each peer checks that the new head extends the last one it holds
        and receipts it. A head a peer receipted cannot later be replaced without that peer's
        copy disagreeing.

        For each item of `audit/proofs.json` `witnessed` (peer, treeSize, checkpoint, receipt,
        consistency):

        1. `checkpoint` is a message JWS signed by the exporting authority, with `type`
           `checkpoint`, `to` = `peer`, and `treeHead`: a tree-head JWS (checked as in step 4.1)
           of `treeSize` entries.
        2. `receipt` is the peer's receipt for it: signed by `peer`, `messageDigest` =
           base64url(SHA-256 of the checkpoint file's bytes).
        3. `consistency` proves that the bundle's tree head extends the witnessed one (RFC 9162
           §2.1.4.2, from `treeSize` to the bundle's `treeSize`):

           ```
           if old == new: succeed if proof is empty and the roots are equal
           if old is a power of two: prepend the old root to proof
           fn = old - 1; sn = new - 1
           while fn is odd: fn >>= 1; sn >>= 1
           fr = sr = proof[0]
           for c in proof[1:]:
               if sn == 0: fail
               if fn is odd or fn == sn:
                   fr = SHA-256(0x01 || c || fr); sr = SHA-256(0x01 || c || sr)
                   if fn is even: while fn is even and fn != 0: fn >>= 1; sn >>= 1
               else:
                   sr = SHA-256(0x01 || sr || c)
               fn >>= 1; sn >>= 1
           succeed if sn == 0 and fr == old root and sr == new root
           ```

        An empty `witnessed` list means no peer had receipted a head covering this case's
        entries when the bundle was made; the entries are then vouched for by the authority's
        own signature only.
        """#
}
