//! String formats that JumpCloud does not always honour. Each type keeps the text exactly as
//! received, so decoding never fails on a malformed value and encoding gives the same text back;
//! the typed value is one method call away.
use base64::Engine as _;
use std::fmt;

macro_rules! text_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The text as received or given.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Wraps text without checking it.
            pub fn from_text(text: impl Into<String>) -> Self {
                $name(text.into())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl crate::runtime::QueryValue for $name {
            fn render(&self) -> String {
                self.0.clone()
            }
        }

        impl crate::runtime::Decode for $name {
            fn decode(
                reader: &mut crate::runtime::Reader<'_>,
            ) -> Result<Self, crate::runtime::DecodeError> {
                <String as crate::runtime::Decode>::decode(reader).map($name)
            }

            fn empty() -> Self {
                Self::default()
            }
        }
    };
}

text_newtype!(
    /// A `date-time` value (RFC 3339). [`DateTime::parsed`] gives the time; a value that is not
    /// RFC 3339 is kept as text instead of failing the whole response.
    DateTime
);

text_newtype!(
    /// A `uuid` value. [`Uuid::parsed`] gives the UUID; other text is kept as is.
    Uuid
);

text_newtype!(
    /// A `byte` value: base64 text. [`Base64::decode`] gives the bytes (standard or URL-safe
    /// alphabet, padded or not); text that is not base64 is kept as is.
    Base64
);

impl DateTime {
    /// The time, when the text is RFC 3339.
    pub fn parsed(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        chrono::DateTime::parse_from_rfc3339(&self.0).ok()
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTime
where
    Tz::Offset: fmt::Display,
{
    fn from(time: chrono::DateTime<Tz>) -> Self {
        DateTime(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl Uuid {
    /// The UUID, when the text is one.
    pub fn parsed(&self) -> Option<uuid::Uuid> {
        uuid::Uuid::parse_str(&self.0).ok()
    }
}

impl From<uuid::Uuid> for Uuid {
    fn from(uuid: uuid::Uuid) -> Self {
        Uuid(uuid.hyphenated().to_string())
    }
}

impl Base64 {
    /// Encodes bytes with the standard alphabet.
    pub fn encode(bytes: impl AsRef<[u8]>) -> Self {
        Base64(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The bytes, when the text is base64 in any common dialect.
    pub fn decode(&self) -> Option<Vec<u8>> {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(&self.0).ok())
    }
}

macro_rules! from_text {
    ($($name:ident),*) => {$(
        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }
    )*};
}
from_text!(DateTime, Uuid, Base64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_values_survive_a_round_trip() {
        for text in ["2024-13-45", "", "yesterday"] {
            let value: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(value.parsed(), None);
            assert_eq!(
                serde_json::to_value(&value).unwrap(),
                serde_json::json!(text)
            );
        }
        let bytes: Base64 = serde_json::from_value(serde_json::json!("not base64!")).unwrap();
        assert_eq!(bytes.decode(), None);
        assert_eq!(Uuid::from("nope").parsed(), None);
    }

    #[test]
    fn well_formed_values_parse() {
        let time = DateTime::from("2024-03-01T12:30:00Z").parsed().unwrap();
        assert_eq!(time.timestamp(), 1_709_296_200);
        assert_eq!(DateTime::from(time).as_str(), "2024-03-01T12:30:00Z");
        assert_eq!(Base64::encode(b"hi").decode().unwrap(), b"hi");
        assert_eq!(Base64::from("aGk").decode().unwrap(), b"hi");
        let uuid = Uuid::from("67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(Uuid::from(uuid.parsed().unwrap()), uuid);
    }
}
