//! The action center's lists at scale: filtering and sorting the Pending and History rows.
//!
//! A year of investigations is a million actions, and the page filters and sorts them on its
//! main thread while the analyst types. So nothing here builds an `ActionView` or a string
//! per row: a row's facts are borrowed from the center, text is matched once per distinct
//! string (interned entities, devices, alerts) and remembered, sort keys are integers, and
//! sorting is a stable radix sort over them.

use crate::center::order::{sorted, time_key};
use crate::center::rows::{DeviceRef, Row, RowFacts, RowKind, RowSet};
use crate::center::state::Center;
use crate::intern::FxHashMap;
use crate::time::DAY_MS;
use crate::vocab::action::{ActionTarget, ActionType};
use crate::vocab::{ActionSource, Status};

/// What the lists can be narrowed to. Every field that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub action: Option<ActionType>,
    /// The kind of entity acted on.
    pub target: Option<ActionTarget>,
    /// A device group, by name.
    pub group: Option<String>,
    pub status: Option<Status>,
    pub source: Option<ActionSource>,
    /// Only actions updated (or waiting since) within this many days of the center's "now".
    pub within_days: Option<i64>,
    /// Case-insensitive text found in the id, entity, device, investigation, comment,
    /// decider or action type.
    pub text: String,
}

/// The columns the lists sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Updated,
    Investigation,
    Action,
    Entity,
    Device,
    Group,
    Status,
    Source,
    DecidedBy,
}

/// The values a list's filters can offer: those its rows hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub actions: Vec<ActionType>,
    pub targets: Vec<ActionTarget>,
    pub groups: Vec<String>,
    pub statuses: Vec<Status>,
    pub sources: Vec<ActionSource>,
}

/// The rows of `rows` that pass `filters`, in the same order.
pub fn filter(center: &Center, rows: &[Row], filters: &Filters) -> Vec<Row> {
    if *filters == Filters::default() {
        return rows.to_vec();
    }
    let cutoff = filters
        .within_days
        .map(|days| center.now().0.saturating_sub(days.saturating_mul(DAY_MS)));
    let group = filters.group.as_deref();
    let mut text = TextMatch::new(center, &filters.text);
    let mut passed = RowSet::new(center);
    center.each_fact(&RowSet::of(center, rows), |row, f| {
        let pass = filters.action.is_none_or(|a| f.action == a)
            && filters.target.is_none_or(|t| f.action.target() == t)
            && filters.status.is_none_or(|s| f.status == s)
            && filters.source.is_none_or(|s| f.source == s)
            && cutoff.is_none_or(|c| f.updated.is_some_and(|t| t.0 >= c))
            && group.is_none_or(|g| f.group.is_some_and(|r| center.policy().group_name(r) == g))
            && text.matches(&f);
        if pass {
            passed.insert(row);
        }
    });
    rows.iter()
        .copied()
        .filter(|r| passed.contains(*r))
        .collect()
}

/// `rows` sorted by `column`. Equal keys keep their order, ascending or descending, so a
/// second sort refines the first.
pub fn sort(center: &Center, rows: &[Row], column: Column, ascending: bool) -> Vec<Row> {
    let set = RowSet::of(center, rows);
    let mut keys = RowKeys::new(center);
    match column {
        Column::Updated => center.each_fact(&set, |row, f| keys.set(row, time_key(f.updated))),
        Column::Action => {
            let rank = label_ranks(&ActionType::ALL, ActionType::label);
            center.each_fact(&set, |row, f| keys.set(row, rank(f.action)));
        }
        Column::Status => {
            let rank = label_ranks(&Status::ALL, Status::label);
            center.each_fact(&set, |row, f| keys.set(row, rank(f.status)));
        }
        Column::Source => {
            let rank = label_ranks(&ActionSource::ALL, ActionSource::label);
            center.each_fact(&set, |row, f| keys.set(row, rank(f.source)));
        }
        _ => {
            let mut texts = TextRanks::new(center);
            center.each_fact(&set, |row, f| {
                let key = match column {
                    Column::Investigation => match f.alert {
                        Some((alert, _, _)) => TextKey::Alert(alert),
                        None => TextKey::Str(f.investigation.unwrap_or("")),
                    },
                    Column::Entity => f.entity_sym.map_or(TextKey::Str(f.entity), TextKey::Sym),
                    Column::Device => match f.device {
                        Some(DeviceRef::Known(d)) => TextKey::Device(d),
                        Some(DeviceRef::Unknown(sym)) => TextKey::Sym(sym),
                        Some(DeviceRef::Name(name)) => TextKey::Str(name),
                        None => TextKey::Str(""),
                    },
                    Column::Group => {
                        TextKey::Str(f.group.map_or("", |g| center.policy().group_name(g)))
                    }
                    _ => TextKey::Str(f.decided_by.unwrap_or("")),
                };
                keys.set(row, u64::from(texts.id(key)));
            });
            let rank = texts.ranks();
            keys.map(|id| rank.get(id as usize).copied().unwrap_or(0));
        }
    }
    let items = rows
        .iter()
        .map(|r| {
            let k = keys.get(*r);
            (if ascending { k } else { !k }, *r)
        })
        .collect();
    sorted(items)
}

/// The filter values the rows hold, each list in the order the filters show it.
pub fn options(center: &Center, rows: &[Row]) -> Options {
    let mut actions = Vec::new();
    let mut groups = Vec::new();
    let mut statuses = Vec::new();
    let mut sources = Vec::new();
    // A million rows hold a few dozen distinct values: checking the short lists as we go is
    // cheaper than collecting a million and deduplicating.
    fn add<T: PartialEq>(list: &mut Vec<T>, value: T) {
        if !list.contains(&value) {
            list.push(value);
        }
    }
    center.each_fact(&RowSet::of(center, rows), |_, f| {
        add(&mut actions, f.action);
        if let Some(g) = f.group {
            add(&mut groups, g);
        }
        add(&mut statuses, f.status);
        add(&mut sources, f.source);
    });
    actions.sort_unstable();
    let mut targets: Vec<ActionTarget> = Vec::new();
    for a in &actions {
        add(&mut targets, a.target());
    }
    targets.sort_by_key(|t| t.label());
    let mut groups: Vec<String> = groups
        .into_iter()
        .map(|g| center.policy().group_name(g).to_owned())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    statuses.sort_by_key(|s| s.slug());
    sources.sort_by_key(|s| s.label());
    Options {
        actions,
        targets,
        groups,
        statuses,
        sources,
    }
}

/// A sort key per row, in arrays indexed like the rows' sources.
struct RowKeys {
    evidence: Vec<u64>,
    manual: Vec<u64>,
    reported: Vec<u64>,
}

impl RowKeys {
    fn new(center: &Center) -> RowKeys {
        RowKeys {
            evidence: vec![0; center.data().evidence.len()],
            manual: vec![0; center.manual_count()],
            reported: vec![0; center.data().reported_actions.len()],
        }
    }

    fn slot(&mut self, row: Row) -> Option<&mut u64> {
        match row.kind() {
            RowKind::Evidence(i) => self.evidence.get_mut(i as usize),
            RowKind::Manual(i) => self.manual.get_mut(i as usize),
            RowKind::Reported(i) => self.reported.get_mut(i as usize),
        }
    }

    fn set(&mut self, row: Row, key: u64) {
        if let Some(slot) = self.slot(row) {
            *slot = key;
        }
    }

    fn get(&self, row: Row) -> u64 {
        match row.kind() {
            RowKind::Evidence(i) => self.evidence.get(i as usize),
            RowKind::Manual(i) => self.manual.get(i as usize),
            RowKind::Reported(i) => self.reported.get(i as usize),
        }
        .copied()
        .unwrap_or(0)
    }

    fn map(&mut self, f: impl Fn(u64) -> u64) {
        for k in self
            .evidence
            .iter_mut()
            .chain(&mut self.manual)
            .chain(&mut self.reported)
        {
            *k = f(*k);
        }
    }
}

/// A text a row sorts by, named by where it is stored so that each distinct text is read and
/// lowered once however many rows share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum TextKey<'a> {
    Sym(crate::intern::Sym),
    Device(u32),
    /// An alert's investigation id.
    Alert(u32),
    Str(&'a str),
}

/// Distinct texts as they are met, then their ranks in case-insensitive order.
struct TextRanks<'a> {
    center: &'a Center,
    syms: Vec<u32>,
    devices: Vec<u32>,
    alerts: Vec<u32>,
    strs: FxHashMap<&'a str, u32>,
    distinct: Vec<TextKey<'a>>,
}

impl<'a> TextRanks<'a> {
    fn new(center: &'a Center) -> TextRanks<'a> {
        let data = center.data();
        TextRanks {
            center,
            syms: vec![u32::MAX; data.strings.len() + 1],
            devices: vec![u32::MAX; data.devices.len()],
            alerts: vec![u32::MAX; data.alerts.len()],
            strs: FxHashMap::default(),
            distinct: Vec::new(),
        }
    }

    /// The number of `key` among the distinct texts met so far.
    fn id(&mut self, key: TextKey<'a>) -> u32 {
        let next = self.distinct.len() as u32;
        let slot = match key {
            TextKey::Sym(sym) => self.syms.get_mut(sym.number() as usize),
            TextKey::Device(d) => self.devices.get_mut(d as usize),
            TextKey::Alert(a) => self.alerts.get_mut(a as usize),
            TextKey::Str(s) => Some(self.strs.entry(s).or_insert(u32::MAX)),
        };
        match slot {
            Some(id) if *id != u32::MAX => *id,
            Some(id) => {
                *id = next;
                self.distinct.push(key);
                next
            }
            None => 0,
        }
    }

    fn text(&self, key: TextKey<'a>) -> &'a str {
        let data = self.center.data();
        match key {
            TextKey::Sym(sym) => data.text(sym),
            TextKey::Device(d) => self.center.device_name(DeviceRef::Known(d)),
            TextKey::Alert(a) => data
                .alerts
                .get(a as usize)
                .map_or("", |a| a.investigation()),
            TextKey::Str(s) => s,
        }
    }

    /// For each distinct text by number, its rank: equal texts share one.
    fn ranks(&self) -> Vec<u64> {
        let mut order: Vec<(String, &str, u32)> = self
            .distinct
            .iter()
            .enumerate()
            .map(|(id, key)| {
                let text = self.text(*key);
                (text.to_lowercase(), text, id as u32)
            })
            .collect();
        order.sort_unstable();
        let mut ranks = vec![0u64; order.len()];
        let mut rank = 0;
        for (i, (lower, text, id)) in order.iter().enumerate() {
            if i > 0
                && order
                    .get(i - 1)
                    .is_some_and(|(l, t, _)| l != lower || t != text)
            {
                rank += 1;
            }
            if let Some(slot) = ranks.get_mut(*id as usize) {
                *slot = rank;
            }
        }
        ranks
    }
}

/// For the values of a small enumeration: each value's rank by its label, case-insensitively.
fn label_ranks<T: Copy + PartialEq>(all: &[T], label: fn(T) -> &'static str) -> impl Fn(T) -> u64 {
    let mut by_label: Vec<(String, T)> =
        all.iter().map(|v| (label(*v).to_lowercase(), *v)).collect();
    by_label.sort_by(|a, b| a.0.cmp(&b.0));
    move |v| by_label.iter().position(|(_, x)| *x == v).unwrap_or(0) as u64
}

/// Case-insensitive text search over rows, remembering the answer for each distinct string
/// it has looked at: entities and unknown device ids by symbol, devices and alerts by index.
struct TextMatch<'a> {
    center: &'a Center,
    needle: String,
    /// The needle could be part of an evidence index (`…/12`): only digits can.
    digits: bool,
    /// The needle spans an id's `/`: ids are then built and searched whole.
    slash: bool,
    /// Per symbol, device and alert: 0 not looked at yet, 1 no, 2 yes.
    syms: Vec<u8>,
    devices: Vec<u8>,
    alerts: Vec<u8>,
    /// Per action type, by its discriminant.
    labels: [u8; 32],
    other: FxHashMap<&'a str, bool>,
    /// The last text looked up in `other`, by address: most rows share "Automation".
    last: Option<(usize, usize, bool)>,
}

impl<'a> TextMatch<'a> {
    fn new(center: &'a Center, text: &str) -> TextMatch<'a> {
        let needle = text.to_lowercase();
        let data = center.data();
        TextMatch {
            center,
            digits: !needle.is_empty() && needle.bytes().all(|b| b.is_ascii_digit()),
            slash: needle.contains('/'),
            syms: if needle.is_empty() {
                Vec::new()
            } else {
                vec![0; data.strings.len() + 1]
            },
            devices: if needle.is_empty() {
                Vec::new()
            } else {
                vec![0; data.devices.len()]
            },
            alerts: if needle.is_empty() {
                Vec::new()
            } else {
                vec![0; data.alerts.len()]
            },
            needle,
            labels: [0; 32],
            other: FxHashMap::default(),
            last: None,
        }
    }

    fn contains(needle: &str, hay: &str) -> bool {
        hay.to_lowercase().contains(needle)
    }

    /// The answer remembered in `memo[slot]`, or `search`'s the first time.
    fn remembered(memo: &mut [u8], slot: usize, search: impl FnOnce() -> bool) -> bool {
        match memo.get(slot).copied() {
            Some(1) => false,
            Some(2) => true,
            _ => {
                let hit = search();
                if let Some(m) = memo.get_mut(slot) {
                    *m = if hit { 2 } else { 1 };
                }
                hit
            }
        }
    }

    /// Whether a text that is not interned (a decider, an action label) holds the needle:
    /// remembered by content, and the last one by address, since most rows share
    /// "Automation".
    fn other(
        other: &mut FxHashMap<&'a str, bool>,
        last: &mut Option<(usize, usize, bool)>,
        needle: &str,
        hay: &'a str,
    ) -> bool {
        let address = (hay.as_ptr() as usize, hay.len());
        if let Some((a, l, hit)) = *last {
            if (a, l) == address {
                return hit;
            }
        }
        let hit = *other
            .entry(hay)
            .or_insert_with(|| TextMatch::contains(needle, hay));
        *last = Some((address.0, address.1, hit));
        hit
    }

    fn matches(&mut self, f: &RowFacts<'a>) -> bool {
        let TextMatch {
            center,
            needle,
            digits,
            slash,
            syms,
            devices,
            alerts,
            labels,
            other,
            last,
        } = self;
        if needle.is_empty() {
            return true;
        }
        let center: &Center = center;
        let data = center.data();
        let needle = needle.as_str();
        let entity = match f.entity_sym {
            Some(sym) => TextMatch::remembered(syms, sym_slot(sym), || {
                TextMatch::contains(needle, data.text(sym))
            }),
            None => !f.entity.is_empty() && TextMatch::contains(needle, f.entity),
        };
        let mut device = || match f.device {
            Some(DeviceRef::Known(d)) => TextMatch::remembered(devices, d as usize, || {
                TextMatch::contains(needle, center.device_name(DeviceRef::Known(d)))
            }),
            Some(DeviceRef::Unknown(sym)) => TextMatch::remembered(syms, sym_slot(sym), || {
                TextMatch::contains(needle, data.text(sym))
            }),
            Some(DeviceRef::Name(name)) => TextMatch::contains(needle, name),
            None => false,
        };
        let mut id = || match (f.alert, f.id) {
            (Some((alert, alert_id, index)), _) => {
                let investigation = f.investigation.unwrap_or("");
                TextMatch::remembered(alerts, alert as usize, || {
                    TextMatch::contains(needle, alert_id)
                        || TextMatch::contains(needle, investigation)
                }) || (*digits && index.to_string().contains(needle))
                    || (*slash && TextMatch::contains(needle, &format!("{alert_id}/{index}")))
            }
            (None, Some(id)) => {
                TextMatch::contains(needle, &format!("{}{id}", f.id_prefix))
                    || f.investigation
                        .is_some_and(|i| TextMatch::contains(needle, i))
            }
            (None, None) => false,
        };
        let label = f.action.label();
        entity
            || device()
            || id()
            || f.comment.is_some_and(|c| TextMatch::contains(needle, c))
            || f.decided_by
                .is_some_and(|d| TextMatch::other(other, last, needle, d))
            || TextMatch::remembered(labels, f.action as usize, || {
                TextMatch::contains(needle, label)
            })
    }
}

fn sym_slot(sym: crate::intern::Sym) -> usize {
    sym.number() as usize
}
