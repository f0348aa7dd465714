//! Share URLs: a whole scenario in a link's fragment, `#s=<version>.<codec>.<payload>`.
//!
//! - `version` is the scenario file version inside the link (decimal);
//! - `codec` says how the payload is packed; `d` is raw deflate (RFC 1951, no zlib header) then base64url
//!   without padding (RFC 4648 §5);
//! - `payload` is the packed scenario file ([`super::Scenario::to_json`]).
//!
//! The fragment never reaches a server, so a scenario stays in the browser that opens the link. Every released
//! version keeps its decoder in [`DECODERS`] forever, each with a golden test (a fixed link that must decode to a
//! fixed scenario). A broken or foreign link gives a [`ShareError`] that explains itself; decoding never panics
//! and never inflates more than [`super::MAX_SCENARIO_BYTES`].

use super::{migrations, Scenario, ScenarioError, CURRENT_VERSION, MAX_SCENARIO_BYTES};
use base64::Engine as _;
use serde_json::Value as Json;
use std::fmt;

/// The fragment's prefix (after `#`).
pub const PREFIX: &str = "s=";

/// The codec this build writes: raw deflate + base64url without padding.
pub const DEFLATE_CODEC: &str = "d";

/// The longest payload read, in characters: base64 of the largest compressed scenario, with room to spare.
pub const MAX_PAYLOAD_CHARS: usize = 2 * MAX_SCENARIO_BYTES;

/// Links longer than this may be cut by chat apps, mail clients and some browsers; the UI warns above it.
pub const LONG_LINK_CHARS: usize = 2000;

/// A decoder for one released version: codec and payload to the version's scenario JSON.
type Decoder = fn(&str, &str) -> Result<Json, ShareError>;

/// Every released version's decoder, kept forever.
const DECODERS: &[(u32, Decoder)] = &[(1, decode_v1), (2, decode_v2), (3, decode_v3)];

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment does not start with `#s=`.
    NotAScenarioLink,
    /// Not three dot-separated parts, or a version that is not a number.
    Malformed,
    /// A version this build has no decoder for (as written, shortened), and whether it is above the current one.
    UnknownVersion {
        /// The version as the link writes it (at most 20 digits shown).
        version: String,
        /// Whether it is newer than [`CURRENT_VERSION`] (else 0 or a number that never was released).
        newer: bool,
    },
    /// A codec this version does not have.
    UnknownCodec(String),
    /// The payload is longer than [`MAX_PAYLOAD_CHARS`].
    TooLong(usize),
    /// The payload is not base64url.
    NotBase64(String),
    /// The compressed data is cut or corrupt.
    Corrupt,
    /// The payload inflates past [`MAX_SCENARIO_BYTES`].
    TooLarge,
    /// The inflated payload is not UTF-8 text.
    NotText,
    /// The link's version and the scenario's disagree.
    VersionMismatch {
        /// The link's.
        link: u32,
        /// The scenario file's.
        file: Option<u64>,
    },
    /// The scenario inside is not valid.
    Scenario(ScenarioError),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotAScenarioLink => {
                f.write_str("this is not a scenario link: its part after '#' should start with 's='")
            }
            ShareError::Malformed => f.write_str(
                "the link is damaged: a scenario link ends in #s=<version>.<codec>.<data>; it may have been cut \
                 when it was copied",
            ),
            ShareError::UnknownVersion { version, newer: true } => write!(
                f,
                "the link holds a scenario of version {version}, made by a newer playground; this one opens \
                 versions 1 to {CURRENT_VERSION}"
            ),
            ShareError::UnknownVersion { version, newer: false } => {
                write!(f, "the link names scenario version {version}, which never existed")
            }
            ShareError::UnknownCodec(c) => write!(
                f,
                "the link is packed with codec '{c}', which this playground does not know (it reads '{DEFLATE_CODEC}': \
                 deflate + base64url)"
            ),
            ShareError::TooLong(n) => write!(
                f,
                "the link's data is {n} characters long; the playground reads at most {MAX_PAYLOAD_CHARS}"
            ),
            ShareError::NotBase64(m) => {
                write!(
                    f,
                    "the link is damaged: its data is not base64url ({m}); it may have been cut or edited"
                )
            }
            ShareError::Corrupt => f.write_str(
                "the link is damaged: its compressed data is cut or corrupt; it may have been cut when copied",
            ),
            ShareError::TooLarge => write!(
                f,
                "the link's scenario is larger than {MAX_SCENARIO_BYTES} bytes (1 MB) once unpacked; it was not \
                 opened"
            ),
            ShareError::NotText => f.write_str("the link is damaged: its unpacked data is not UTF-8 text"),
            ShareError::VersionMismatch { link, file } => match file {
                Some(v) => write!(f, "the link says version {link} but the scenario inside is version {v}"),
                None => write!(f, "the link says version {link} but the scenario inside has no version"),
            },
            ShareError::Scenario(e) => {
                let message = e.to_string();
                match message.strip_prefix("the ") {
                    Some(rest) => write!(f, "the link's {rest}"),
                    None => write!(f, "in the link: {message}"),
                }
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment for `scenario`, `#s=1.d.<payload>`.
pub fn encode(scenario: &Scenario) -> String {
    let json = scenario.to_json();
    let compressed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed);
    format!("#{PREFIX}{CURRENT_VERSION}.{DEFLATE_CODEC}.{payload}")
}

/// Whether `fragment` (with or without its `#`) is meant as a scenario link (it may still be broken).
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// Opens a link's fragment (`#s=...`, the `#` optional; surrounding whitespace ignored), upgrading older versions.
///
/// Errors: see [`ShareError`]. Never panics, whatever the input.
pub fn decode(fragment: &str) -> Result<Scenario, ShareError> {
    let fragment = fragment.trim();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = fragment.strip_prefix(PREFIX).ok_or(ShareError::NotAScenarioLink)?;
    let mut parts = rest.splitn(3, '.');
    let (Some(version), Some(codec), Some(payload)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ShareError::Malformed);
    };
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::Malformed);
    }
    let (number, decoder) = DECODERS
        .iter()
        .find(|(v, _)| version.parse::<u32>().ok() == Some(*v))
        .ok_or_else(|| ShareError::UnknownVersion {
            version: truncate(version, 20),
            // Digits only, so a parse failure means the number overflows: newer.
            newer: version.parse::<u64>().map_or(true, |n| n > u64::from(CURRENT_VERSION)),
        })?;
    let value = decoder(codec, payload)?;
    let file_version = value.as_object().and_then(|o| o.get("version")).and_then(Json::as_u64);
    if file_version != Some(u64::from(*number)) {
        return Err(ShareError::VersionMismatch {
            link: *number,
            file: file_version,
        });
    }
    let current = migrations::migrate(value, *number, migrations::MIGRATIONS).map_err(ShareError::Scenario)?;
    Scenario::from_value(current).map_err(ShareError::Scenario)
}

/// Version 1: codec `d` only; the payload is a version-1 scenario file.
fn decode_v1(codec: &str, payload: &str) -> Result<Json, ShareError> {
    if codec != DEFLATE_CODEC {
        return Err(ShareError::UnknownCodec(truncate(codec, 20)));
    }
    let json = inflate_base64url(payload)?;
    serde_json::from_str(&json).map_err(|e| ShareError::Scenario(ScenarioError::NotJson(e.to_string())))
}

/// Version 2: the same packing as version 1 (codec `d`); the payload is a version-2 scenario file.
fn decode_v2(codec: &str, payload: &str) -> Result<Json, ShareError> {
    decode_v1(codec, payload)
}

/// Version 3: the same packing as version 1 (codec `d`); the payload is a version-3 scenario file.
fn decode_v3(codec: &str, payload: &str) -> Result<Json, ShareError> {
    decode_v1(codec, payload)
}

/// base64url (no padding) then raw inflate, bounded by [`MAX_SCENARIO_BYTES`].
fn inflate_base64url(payload: &str) -> Result<String, ShareError> {
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong(payload.len()));
    }
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| ShareError::NotBase64(e.to_string()))?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_SCENARIO_BYTES).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
                _ => ShareError::Corrupt,
            }
        })?;
    String::from_utf8(bytes).map_err(|_| ShareError::NotText)
}

/// At most `max` characters of `text` (for echoing foreign input in a message).
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{TemplateFile, TestEvent, TutorialPosition};

    /// The golden link of version 1: made once by `encode` at version 1, never to be regenerated.
    const GOLDEN_V1: &str = "#s=1.d.PZDPSsNAEMZfZZhLFUpQjwMVRAx6EWkFD8ZDTEa6spkNu5uSJeSBfA5frJOm6V52v2_-7PxmwAP7YJwg3a4xctPaMjLSgD_G8mvZ6PtiZ6lsLK7x29VJ7S0H1_mKAxUCkMvpAnhPLRM8fOyIduy1veUQiPJOqqgfzUlv3rXsozkXT-e5lNqyJzBSc5_tZ7lEt51E02hjcTX_hrubrF9CL2KN8KP6BAVy3zofw1IPGyhDkgqurmFzD6v9_5-1blVgIThOxCE-HVhiQPpU6POQSpeLksq8AOWPSSVPmaqHEcev8Qg";

    fn golden_scenario_v1() -> Scenario {
        Scenario {
            template: TemplateFile {
                file_name: "template.yaml".into(),
                body: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      InlineCode: \"exports.handler = async () => 'héllo'\"\n".into(),
            },
            test_events: vec![TestEvent {
                function: "Fn".into(),
                name: "empty".into(),
                event: "{}".into(),
            }],
            tutorial: None,
            code: Default::default(),
        }
    }

    #[test]
    fn golden_v1_link_decodes_to_its_scenario() {
        assert_eq!(decode(GOLDEN_V1), Ok(golden_scenario_v1()));
    }

    /// The golden link of version 2 (a tutorial step with the work): made once by `encode` at version 2, never
    /// to be regenerated.
    const GOLDEN_V2: &str = "#s=2.d.PZDPSsQwEMZfJcxlFdYiewysIGLRi8iu4MF6iO1II-mkZNK1ofSBfA5fbKfb7eaSzJ9vMr9vgAMGtp5Ab9YQsWmdiQh6gG_r8MU08r6ks2QaB2v48lWS9A7Zd6FE1gUpldPpUuottajV_fte6z0GGe-QWeu8ozLKR3PTa_AthmjP4uk8GaocBq0sVdhn9Rwu1V1H0TYymHyFP7y5zfql9EzOEj5IXqsCsG99iLzo1VYZTlSqq2u1vVOr-v_POb8qoCAYJ2KOjwekyKA_BPq8pNDlJKQ0GyD8MUmIU6fEwwjjp4i76IM1brJrgjzpfut0wxduEXHEVtwdxyM";

    fn golden_scenario_v2() -> Scenario {
        Scenario {
            tutorial: Some(TutorialPosition {
                lesson: "why-serverless".into(),
                step: 2,
            }),
            ..golden_scenario_v1()
        }
    }

    #[test]
    fn golden_v2_link_decodes_to_its_scenario_and_step() {
        assert_eq!(decode(GOLDEN_V2), Ok(golden_scenario_v2()));
    }

    /// The golden link of version 3 (a `CodeUri` folder's files with the work): made once by `encode` at version
    /// 3, never to be regenerated.
    const GOLDEN_V3: &str = "#s=3.d.TVDNTgIxEH6VsZeFSBajtxpMjJF4MgY0HsTDsjtISTvdtF1gs-kD-Ry-mFMWCL20M_PN99NObNF5ZUnIu5EIaGpdBBSyEyul8bUw_D6387YwWozE0lYtt2fobeNK9HJBAFM6XADvbY0SHj_nUs7RMb1G76WcNlQGFupBb87W6II6LqfzUlCl0UlQVOE-X_flaTprKCjDxGQr3Pjbm3x_Gj1x58MpCd6V4wWJmIL48LxFCl7IL85y1GbTU-IA1OfiWKHlEhOS6y6K-D0SJfOlH2C6dPV2zIaphDK1dQE6-HGIASKsnDWQ5WOtluMmKJ1w2f2CcH8AlpZ8gGMUmEDhWyphMITJQ08xyNZ_v1rbbMhLbOWSJzm8pOk1JzDYHfZ3cA3ZVRITMcZ_";

    fn golden_scenario_v3() -> Scenario {
        let files = [
            (
                "index.mjs",
                "import { greet } from './lib/util.mjs';\nexport const handler = async () => greet('héllo');\n",
            ),
            ("lib/util.mjs", "export const greet = (w) => w + '!';\n"),
        ];
        Scenario {
            template: TemplateFile {
                file_name: "template.yaml".into(),
                body: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      CodeUri: src/\n".into(),
            },
            code: [(
                "src".to_string(),
                files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
            )]
            .into_iter()
            .collect(),
            ..golden_scenario_v1()
        }
    }

    #[test]
    fn golden_v3_link_decodes_to_its_scenario_and_files() {
        assert_eq!(decode(GOLDEN_V3), Ok(golden_scenario_v3()));
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let scenario = golden_scenario_v1();
        let link = encode(&scenario);
        assert!(link.starts_with("#s=3.d."), "{link}");
        assert_eq!(decode(&link), Ok(scenario.clone()));
        assert_eq!(decode(&format!("  {}\n", &link[1..])), Ok(scenario));
    }

    fn message(fragment: &str) -> String {
        decode(fragment).unwrap_err().to_string()
    }

    #[test]
    fn foreign_fragments_are_not_scenario_links() {
        assert_eq!(decode("#/lambda/fn"), Err(ShareError::NotAScenarioLink));
        assert_eq!(decode(""), Err(ShareError::NotAScenarioLink));
        assert!(!is_share_fragment("#/apigateway"));
        assert!(is_share_fragment("#s=oops"));
    }

    #[test]
    fn damaged_links_explain_themselves() {
        assert_eq!(decode("#s="), Err(ShareError::Malformed));
        assert_eq!(decode("#s=1.d"), Err(ShareError::Malformed));
        assert_eq!(decode("#s=x.d.abc"), Err(ShareError::Malformed));
        assert_eq!(
            message("#s=9.d.abc"),
            "the link holds a scenario of version 9, made by a newer playground; this one opens versions 1 to 3"
        );
        assert_eq!(
            message("#s=0.d.abc"),
            "the link names scenario version 0, which never existed"
        );
        assert_eq!(
            message("#s=99999999999999999999999.d.x"),
            "the link holds a scenario of version 99999999999999999999..., made by a newer playground; this one \
             opens versions 1 to 3"
        );
        assert_eq!(decode("#s=1.z.abc"), Err(ShareError::UnknownCodec("z".into())));
        assert!(matches!(decode("#s=1.d.a*b"), Err(ShareError::NotBase64(_))));
        assert_eq!(decode("#s=1.d.AAAA"), Err(ShareError::Corrupt));
    }

    #[test]
    fn a_cut_link_is_corrupt_not_a_panic() {
        let link = encode(&golden_scenario_v1());
        for cut in 7..link.len() {
            let result = decode(&link[..cut]);
            assert!(result.is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn every_one_character_change_of_a_link_decodes_or_explains() {
        let link = encode(&golden_scenario_v1());
        let replacements = ['A', '_', '-', '.', '=', '%', '\u{e9}', '\0'];
        for (index, _) in link.char_indices() {
            for replacement in replacements {
                let mut mutated = link.clone();
                let end = index + mutated[index..].chars().next().map_or(0, char::len_utf8);
                mutated.replace_range(index..end, &replacement.to_string());
                // Either a scenario or an explaining error; never a panic.
                if let Err(e) = decode(&mutated) {
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }

    fn pack(bytes: &[u8]) -> String {
        let compressed = miniz_oxide::deflate::compress_to_vec(bytes, 9);
        format!(
            "#s=1.d.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
        )
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_limit() {
        let bomb = pack(&vec![b' '; MAX_SCENARIO_BYTES + 1]);
        assert!(bomb.len() < 4000, "{}", bomb.len());
        assert_eq!(decode(&bomb), Err(ShareError::TooLarge));
        let long = format!("#s=1.d.{}", "A".repeat(MAX_PAYLOAD_CHARS + 1));
        assert_eq!(decode(&long), Err(ShareError::TooLong(MAX_PAYLOAD_CHARS + 1)));
    }

    #[test]
    fn the_inside_must_be_a_scenario_of_the_links_version() {
        assert_eq!(decode(&pack(&[0xff, 0xfe])), Err(ShareError::NotText));
        assert_eq!(
            message(&pack(b"not json")),
            "the link's scenario is not JSON: expected ident at line 1 column 2"
        );
        assert_eq!(
            decode(&pack(b"{\"version\":2}")),
            Err(ShareError::VersionMismatch { link: 1, file: Some(2) })
        );
        assert_eq!(
            message(&pack(b"{\"template\":{}}")),
            "the link says version 1 but the scenario inside has no version"
        );
        assert_eq!(
            message(&pack(
                b"{\"version\":1,\"template\":{\"fileName\":\"a\",\"body\":\"\"}}"
            )),
            "the link's scenario is not valid: missing field `testEvents`"
        );
    }
}
