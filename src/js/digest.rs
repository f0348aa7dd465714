//! The host side of Node's `crypto.createHash` / `createHmac` (src/js/crypto.js): message digests computed by the
//! RustCrypto crates (`md-5`, `sha1`, `sha2`, `hmac`), which are pure Rust and build for wasm32.
//!
//! Bytes cross the JS boundary as "binary strings": one UTF-16 code unit per byte (0..=255), so no typed-array
//! plumbing is needed; the digest comes back as lowercase hex and crypto.js turns it into hex, base64 or a Buffer.

use boa_engine::{js_string, Context, JsNativeError, JsResult, JsValue};
use hmac::{Hmac, Mac};
use sha1::Digest;

/// The algorithms simulated, by the names Node accepts (`crypto.getHashes()` subset, case-insensitive there too).
pub const ALGORITHMS: [&str; 5] = ["md5", "sha1", "sha256", "sha384", "sha512"];

/// The bytes of a binary string; a code unit above 255 is a caller bug, reported as a `TypeError`.
fn bytes_of(value: &JsValue) -> JsResult<Vec<u8>> {
    let Some(text) = value.as_string() else {
        return Err(JsNativeError::typ()
            .with_message("digest input must be a binary string")
            .into());
    };
    text.iter()
        .map(|unit| {
            u8::try_from(unit).map_err(|_| JsNativeError::typ().with_message("digest input is not binary").into())
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash<D: Digest>(data: &[u8]) -> Vec<u8> {
    D::digest(data).to_vec()
}

fn hmac<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
    // `new_from_slice` accepts a key of any length for HMAC (long keys are hashed, RFC 2104), so this never fails.
    match <M as hmac::digest::KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The digest of `data` with `algorithm` (one of [`ALGORITHMS`], lowercase), keyed HMAC when `key` is given; `None`
/// for an algorithm not simulated.
pub fn digest(algorithm: &str, key: Option<&[u8]>, data: &[u8]) -> Option<Vec<u8>> {
    Some(match (algorithm, key) {
        ("md5", None) => hash::<md5::Md5>(data),
        ("sha1", None) => hash::<sha1::Sha1>(data),
        ("sha256", None) => hash::<sha2::Sha256>(data),
        ("sha384", None) => hash::<sha2::Sha384>(data),
        ("sha512", None) => hash::<sha2::Sha512>(data),
        ("md5", Some(k)) => hmac::<Hmac<md5::Md5>>(k, data),
        ("sha1", Some(k)) => hmac::<Hmac<sha1::Sha1>>(k, data),
        ("sha256", Some(k)) => hmac::<Hmac<sha2::Sha256>>(k, data),
        ("sha384", Some(k)) => hmac::<Hmac<sha2::Sha384>>(k, data),
        ("sha512", Some(k)) => hmac::<Hmac<sha2::Sha512>>(k, data),
        _ => return None,
    })
}

/// `__host.digest(algorithm, key, data)`: lowercase hex of the digest; `key` is `undefined` for a plain hash.
/// An unknown algorithm throws Node's `Digest method not supported` error (Node 20, `crypto.createHash`).
pub fn native_digest(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let algorithm = super::string_arg(args, 0, context)?.to_ascii_lowercase();
    let key = match args.get(1) {
        Some(v) if !v.is_undefined() => Some(bytes_of(v)?),
        _ => None,
    };
    let data = bytes_of(&args.get(2).cloned().unwrap_or_default())?;
    match digest(&algorithm, key.as_deref(), &data) {
        Some(out) => Ok(JsValue::from(js_string!(hex(&out).as_str()))),
        None => Err(JsNativeError::error()
            .with_message("Digest method not supported")
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answers: RFC 1321 (md5 "abc"), FIPS 180-2 (sha1/sha256 "abc"), RFC 4231 test case 2 (HMAC-SHA256).
    /// (algorithm, HMAC key, data, hex digest)
    type Case<'a> = (&'a str, Option<&'a [u8]>, &'a [u8], &'a str);

    #[test]
    fn known_answers() {
        let cases: [Case; 4] = [
            ("md5", None, b"abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("sha1", None, b"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "sha256",
                None,
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                "sha256",
                Some(b"Jefe"),
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
        ];
        for (alg, key, data, want) in cases {
            assert_eq!(digest(alg, key, data).map(|d| hex(&d)).as_deref(), Some(want), "{alg}");
        }
        assert_eq!(digest("whirlpool", None, b""), None);
    }
}
