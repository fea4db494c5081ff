//! Field readers the JSON readers share. Each reads one value without building more than it
//! keeps: keys become a field enum, text borrows from the input when it has no escapes.

use airview_engine::intern::Sym;
use airview_engine::model::Dataset;
use airview_engine::Timestamp;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Reads a key into a field enum without allocating.
pub(crate) struct Key<F>(pub(crate) fn(&str) -> F);

impl<'de, F> DeserializeSeed<'de> for Key<F> {
    type Value = F;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F> Visitor<'de> for Key<F> {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<F, E> {
        Ok((self.0)(v))
    }
}

/// A string that borrows from the input when it has no escapes.
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// The text, owned, unless it is absent or empty.
#[inline]
pub(crate) fn non_empty(t: Option<Text>) -> Option<String> {
    t.map(|t| t.0.into_owned()).filter(|s| !s.is_empty())
}

/// The next value as text (a string or `null`), owned; `null` and `""` are absent.
#[inline]
pub(crate) fn text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    Ok(non_empty(map.next_value::<Option<Text>>()?))
}

/// The next value as text, converted while still borrowed (an enumeration's text into its
/// value, say); `null` is absent.
#[inline]
pub(crate) fn text_as<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    convert: impl FnOnce(&str) -> T,
) -> Result<Option<T>, A::Error> {
    Ok(map.next_value::<Option<Text>>()?.map(|t| convert(&t.0)))
}

/// The next value as a time stamp; `null` is absent.
#[inline]
pub(crate) fn timestamp<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Timestamp>, A::Error> {
    map.next_value::<Option<Timestamp>>()
}

/// Skips the next value unparsed.
#[inline]
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// An id: Defender for Endpoint writes some as strings and some as numbers.
struct Id(String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id (a string or a number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The next value as an id, a string or a number; `null` and `""` are absent.
#[inline]
pub(crate) fn id<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    Ok(map
        .next_value::<Option<Id>>()?
        .map(|i| i.0)
        .filter(|s| !s.is_empty()))
}

/// A string interned on the way in; `null` and `""` are absent.
pub(crate) struct Interned<'a>(pub(crate) &'a mut Dataset);

impl<'de> DeserializeSeed<'de> for Interned<'_> {
    type Value = Option<Sym>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Sym>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Interned<'_> {
    type Value = Option<Sym>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<Sym>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Sym>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Sym>, D::Error> {
        d.deserialize_str(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Sym>, E> {
        Ok(self.0.strings.intern_opt(v))
    }
}
