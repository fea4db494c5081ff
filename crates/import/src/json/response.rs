//! The envelope every JSON export comes in, whatever it holds: one object, a bare array of
//! objects, or a list response (`{"value": [...]}`, one file per page), nested in any way.
//!
//! The readers do not know in advance which of these a file is, nor whether an object is a
//! list response or an item: an object is read field by field as an item (`Item::field`), and
//! when it turns out to have a `value` it was a list response, and what reading its own fields
//! did is undone (`Item::discard`). Each reader says only what one item is.

use super::fields::Text;
use crate::progress::{address, Meter, Progress};
use airview_engine::model::Dataset;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// What every visitor writes into.
pub(crate) struct Ctx<'a, S> {
    pub(crate) data: &'a mut Dataset,
    /// The file's index in `data.files`, for every record read from it.
    pub(crate) file: u32,
    pub(crate) meter: Meter<'a>,
    /// What the reader of one kind of item keeps from one item to the next.
    pub(crate) state: S,
}

/// One kind of object an export holds (an alert, an investigation, a machine action), read
/// field by field.
pub(crate) trait Item: Sized {
    /// What the reader keeps from one item to the next, and returns at the end.
    type State: Default;
    /// What a whole document may be, for messages: "an alert, a list response or an array of
    /// them".
    const DOCUMENT: &'static str;
    /// What an array of items is, for messages: "an array of alerts".
    const LIST: &'static str;
    /// What one object is, for messages: "an alert or a list response (an object)".
    const OBJECT: &'static str;
    /// Whether `null` where an array of items belongs reads as an empty array (Defender for
    /// Endpoint's readers) or is refused (Graph's).
    const NULL_IS_AN_EMPTY_LIST: bool;
    fn start(ctx: &Ctx<Self::State>) -> Self;
    /// Reads the value of `key`, or skips it.
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        ctx: &mut Ctx<Self::State>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// The object was an item: writes it into the dataset, or refuses it.
    fn finish<E: de::Error>(self, ctx: &mut Ctx<Self::State>) -> Result<(), E>;
    /// The object turned out to be a list response (it has `value`): undoes what reading its
    /// own fields did.
    fn discard(self, _ctx: &mut Ctx<Self::State>) {}
}

/// Reads a document of `K` items into `data`, every record tagged with file index `file`,
/// telling `progress` how far it has got as it finishes objects (see `crate::progress`).
/// Returns what the reader kept. On error `data` may hold part of the file: the caller rolls
/// back (see `crate::load`).
pub(crate) fn read<K: Item>(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<K::State, serde_json::Error> {
    let mut ctx = Ctx {
        data,
        file,
        meter: Meter::new(text, progress),
        state: K::State::default(),
    };
    super::read_document(
        text,
        Top::<K> {
            ctx: &mut ctx,
            kind: PhantomData,
        },
    )?;
    Ok(ctx.state)
}

/// The whole document: one object, or a bare array of objects.
struct Top<'c, 'a, K: Item> {
    ctx: &'c mut Ctx<'a, K::State>,
    kind: PhantomData<K>,
}

impl<'de, K: Item> DeserializeSeed<'de> for Top<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, K: Item> Visitor<'de> for Top<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(K::DOCUMENT)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        List::<K>::new(self.ctx).visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Object::<K> {
            ctx: self.ctx,
            kind: PhantomData,
        }
        .visit_map(map)
    }
}

/// An array of objects: a bare array, a response's `value`, or an item's own list of items
/// (an incident's `alerts`).
pub(crate) struct List<'c, 'a, K: Item> {
    ctx: &'c mut Ctx<'a, K::State>,
    kind: PhantomData<K>,
}

impl<'c, 'a, K: Item> List<'c, 'a, K> {
    pub(crate) fn new(ctx: &'c mut Ctx<'a, K::State>) -> Self {
        List {
            ctx,
            kind: PhantomData,
        }
    }
}

impl<'de, K: Item> DeserializeSeed<'de> for List<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if K::NULL_IS_AN_EMPTY_LIST {
            d.deserialize_any(self)
        } else {
            d.deserialize_seq(self)
        }
    }
}

impl<'de, K: Item> Visitor<'de> for List<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(K::LIST)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Object::<K> {
                ctx: &mut *self.ctx,
                kind: PhantomData,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// An object: a list response (it has `value`) or one item.
struct Object<'c, 'a, K: Item> {
    ctx: &'c mut Ctx<'a, K::State>,
    kind: PhantomData<K>,
}

impl<'de, K: Item> DeserializeSeed<'de> for Object<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, K: Item> Visitor<'de> for Object<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(K::OBJECT)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut item = K::start(ctx);
        let mut is_list = false;
        // Where the object's last key without escapes starts: how far the reader has got.
        let mut reached = None;
        while let Some(key) = map.next_key::<Text>()? {
            if let Cow::Borrowed(k) = key.0 {
                reached = Some(address(k));
            }
            if key.0 == "value" {
                is_list = true;
                map.next_value_seed(List::<K>::new(&mut *ctx))?;
            } else {
                item.field(ctx, &key.0, &mut map)?;
            }
        }
        if is_list {
            item.discard(ctx);
        } else {
            item.finish(ctx)?;
        }
        if let Some(at) = reached {
            ctx.meter.at_address(at);
        }
        Ok(())
    }
}
