//! The `string_enum!` macro: the traits of every generated string enum.

/// The traits of a generated string enum, built on its `as_str` and `From<&str>`. Unknown
/// values are kept in `Unknown` and serialized back unchanged, so a value added on the server
/// never breaks decoding.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::runtime::QueryValue for $name {
            #[inline]
            fn render(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }

        impl ::serde::Serialize for $name {
            #[inline]
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $crate::runtime::Decode for $name {
            #[inline]
            fn decode(
                reader: &mut $crate::runtime::Reader<'_>,
            ) -> ::std::result::Result<Self, $crate::runtime::DecodeError> {
                match reader.string("a string") {
                    ::std::result::Result::Ok(text) => ::std::result::Result::Ok(Self::from(text)),
                    ::std::result::Result::Err(error) => ::std::result::Result::Err(error),
                }
            }

            #[inline]
            fn empty() -> Self {
                <Self as ::std::default::Default>::default()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::read_str(deserializer).map(|text| Self::from(&*text))
            }
        }
    };
}
