//! The Pending and History lists as rows: 4 bytes an action, in their default orders, listed
//! in one pass over the packed facts (a slice at a time while loading), and what filtering and
//! sorting read of each row without building a view.

use crate::center::action_state::ActionState;
use crate::center::ids::Origin;
use crate::center::order::{sorted, time_key};
use crate::center::state::{Center, Human, Manual, REPORTED_PREFIX, TIMEOUT_DAYS};
use crate::intern::Sym;
use crate::model::{DeviceLink, Evidence};
use crate::rules::decide::Decision;
use crate::rules::policy::GroupRef;
use crate::time::Timestamp;
use crate::vocab::{ActionSource, ActionTarget, ActionType, Outcome, Status};

/// An action in the Pending and History lists: where it comes from, in 4 bytes, so that a
/// list of a million actions is 4 MB and sorts as integers. Evidence positions take 30 bits
/// (a billion evidence items); the top two bits say which kind of action it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Row(u32);

/// What a `Row` points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An action from evidence, by its position in `Dataset::evidence`.
    Evidence(u32),
    /// A manual response action, in the order they were added.
    Manual(u32),
    /// An action an export reports, by its position in `Dataset::reported_actions`.
    Reported(u32),
}

impl Row {
    const INDEX: u32 = (1 << 30) - 1;
    const MANUAL: u32 = 1 << 30;
    const REPORTED: u32 = 2 << 30;

    pub(crate) fn evidence(pos: u32) -> Row {
        Row(pos & Row::INDEX)
    }
    pub(crate) fn manual(i: usize) -> Row {
        Row(Row::MANUAL | (i as u32 & Row::INDEX))
    }
    pub(crate) fn reported(i: usize) -> Row {
        Row(Row::REPORTED | (i as u32 & Row::INDEX))
    }

    pub fn kind(self) -> RowKind {
        let i = self.0 & Row::INDEX;
        match self.0 & !Row::INDEX {
            Row::MANUAL => RowKind::Manual(i),
            Row::REPORTED => RowKind::Reported(i),
            _ => RowKind::Evidence(i),
        }
    }
}

/// The action center's two lists, as rows in their default orders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Pending actions, the longest waiting first.
    pub pending: Vec<Row>,
    /// Every other action, the most recently updated first.
    pub history: Vec<Row>,
    /// When the first pending action times out: the lists are out of date from then on.
    pub next_expiry: Option<Timestamp>,
}

/// The overlay's evidence actions by position.
type Kept<'a> = crate::intern::FxHashMap<u32, &'a Human>;

/// A device as a row names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DeviceRef<'a> {
    /// A device that device evidence describes, by index in `Dataset::devices`.
    Known(u32),
    /// A Defender device id no loaded device evidence describes.
    Unknown(Sym),
    /// A name a person typed or an export reported.
    Name(&'a str),
}

/// What filtering and sorting read of one row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowFacts<'a> {
    pub action: ActionType,
    pub status: Status,
    pub source: ActionSource,
    /// When it was last updated, or when it started waiting.
    pub updated: Option<Timestamp>,
    pub entity: &'a str,
    pub entity_sym: Option<Sym>,
    pub device: Option<DeviceRef<'a>>,
    pub group: Option<GroupRef>,
    /// Evidence actions: the alert's index and id and the evidence index, which make the id.
    pub alert: Option<(u32, &'a str, u32)>,
    pub investigation: Option<&'a str>,
    pub decided_by: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// Manual and reported actions: the id, after `id_prefix`.
    pub id: Option<&'a str>,
    pub id_prefix: &'static str,
}

impl Center {
    /// The Pending and History tabs as rows, in their default orders: pending actions the
    /// longest waiting first, then every other action (reported ones included) the most
    /// recently updated first. One pass over the packed facts and no strings: at a million
    /// actions this runs on the page's main thread after every act.
    pub fn rows(&self) -> Rows {
        self.rows_builder().finish()
    }

    /// The same lists, built a slice at a time (the page's loading does this).
    pub fn rows_builder(&self) -> RowsBuilder<'_> {
        RowsBuilder {
            center: self,
            kept: self.kept_positions(),
            next: 0,
            scanned: false,
            pending: Vec::new(),
            history: Vec::new(),
            sorted_pending: None,
            sorted_history: None,
            next_expiry: None,
        }
    }

    /// A row's action id (what `Event`s name).
    pub fn row_id(&self, row: Row) -> Option<String> {
        match row.kind() {
            RowKind::Evidence(pos) => self.evidence_id(pos),
            RowKind::Manual(i) => self.manual.get(i as usize).map(|m| m.id.clone()),
            RowKind::Reported(i) => self
                .data
                .reported_actions
                .get(i as usize)
                .map(|r| format!("{REPORTED_PREFIX}{}", r.id)),
        }
    }

    /// The row of an action id, if the lists show it.
    pub fn row_of(&self, id: &str) -> Option<Row> {
        if let Some(rest) = id.strip_prefix(REPORTED_PREFIX) {
            let i = self
                .data
                .reported_actions
                .iter()
                .position(|r| r.id == rest)?;
            return Some(Row::reported(i));
        }
        match self.resolve(id)? {
            Origin::Evidence(pos) => Some(Row::evidence(pos)),
            Origin::Manual(i) => Some(Row::manual(i)),
        }
    }

    /// The row of the action the evidence at `pos` gives, if it gives one.
    pub fn evidence_row(&self, pos: u32) -> Option<Row> {
        self.gives_action(pos, &self.kept_positions())
            .then_some(Row::evidence(pos))
    }

    /// Every action evidence gives, in evidence order, with its state at `at`: the one walk
    /// over a million evidence items that listing, investigations and waiting times share.
    pub(crate) fn each_evidence_action<'a>(
        &'a self,
        at: Timestamp,
        mut visit: impl FnMut(u32, ActionState<'a>),
    ) {
        let kept = self.kept_positions();
        for pos in 0..self.facts.len() {
            let Ok(pos) = u32::try_from(pos) else { break };
            if self.gives_action(pos, &kept) {
                visit(pos, self.evidence_state(pos, kept.get(&pos).copied(), at));
            }
        }
    }

    /// How many manual response actions were added.
    pub(crate) fn manual_count(&self) -> usize {
        self.manual.len()
    }

    /// The positions in `Dataset::evidence` of an alert's evidence, by evidence index.
    pub fn evidence_of_alert(&self, alert: u32) -> &[u32] {
        self.positions.of_alert(alert)
    }

    /// What filtering and sorting need of one row, borrowed: no allocation for evidence rows.
    pub(crate) fn row_facts<'a>(&'a self, row: Row, kept: &Kept<'a>) -> Option<RowFacts<'a>> {
        match row.kind() {
            RowKind::Evidence(pos) => {
                let evidence = self.data.evidence.get(pos as usize)?;
                let decision = self.decisions.get(pos as usize)?;
                let snap = self.evidence_state(pos, kept.get(&pos).copied(), self.now);
                let alert = self.data.alerts.get(evidence.alert as usize)?;
                Some(RowFacts {
                    action: snap.action,
                    status: snap.status,
                    source: ActionSource::AutomatedInvestigation,
                    updated: snap.at.or(snap.since),
                    entity: self.data.entity(evidence),
                    entity_sym: evidence.entity,
                    device: self.device_of(evidence, decision),
                    group: decision.group,
                    alert: Some((evidence.alert, &alert.id, evidence.index)),
                    investigation: Some(alert.investigation()),
                    decided_by: snap.by,
                    comment: snap.comment,
                    id: None,
                    id_prefix: "",
                })
            }
            RowKind::Manual(i) => {
                let m = self.manual.get(i as usize)?;
                let snap = self.manual_state(i as usize, self.overlay.get(&m.id));
                let device = self.manual_device(m);
                Some(RowFacts {
                    action: snap.action,
                    status: snap.status,
                    source: ActionSource::ManualResponseAction,
                    updated: snap.at.or(snap.since),
                    entity: &m.entity,
                    entity_sym: None,
                    device,
                    group: device.map(|d| self.manual_group(d)),
                    alert: None,
                    investigation: None,
                    decided_by: snap.by,
                    comment: snap.comment,
                    id: Some(&m.id),
                    id_prefix: "",
                })
            }
            RowKind::Reported(i) => {
                let r = self.data.reported_actions.get(i as usize)?;
                Some(RowFacts {
                    action: r.action?,
                    status: r.status?,
                    source: ActionSource::from_label(&r.source),
                    updated: r.updated.or(r.created),
                    entity: r.entity.as_deref().unwrap_or(""),
                    entity_sym: None,
                    device: r.device.as_deref().map(DeviceRef::Name),
                    group: None,
                    alert: None,
                    investigation: r.investigation_id.as_deref(),
                    decided_by: r.decided_by.as_deref(),
                    comment: r.comment.as_deref(),
                    id: Some(&r.id),
                    id_prefix: REPORTED_PREFIX,
                })
            }
        }
    }

    /// The device an evidence action names: the device found for it, else the Defender id the
    /// evidence carries when no loaded device evidence describes it.
    pub(super) fn device_of<'a>(&'a self, e: &'a Evidence, d: &Decision) -> Option<DeviceRef<'a>> {
        match d.device? {
            DeviceLink::UnknownDeviceId => e.mde_device_id.map(DeviceRef::Unknown),
            link => link.device().map(DeviceRef::Known),
        }
    }

    pub(super) fn manual_device<'a>(&'a self, m: &'a Manual) -> Option<DeviceRef<'a>> {
        m.device
            .as_deref()
            .or_else(|| (m.action.target() == ActionTarget::Device).then_some(m.entity.as_str()))
            .map(DeviceRef::Name)
    }

    pub(super) fn manual_group(&self, device: DeviceRef<'_>) -> GroupRef {
        let found = match device {
            DeviceRef::Name(name) => self.find_device(name).and_then(|i| self.data.device(i)),
            DeviceRef::Known(i) => self.data.device(i),
            DeviceRef::Unknown(_) => None,
        };
        self.policy.group_of(found)
    }

    /// The name a device reference shows.
    pub(crate) fn device_name<'a>(&'a self, device: DeviceRef<'a>) -> &'a str {
        match device {
            DeviceRef::Known(i) => self.data.device(i).map_or("", |d| d.display_name()),
            DeviceRef::Unknown(sym) => self.data.text(sym),
            DeviceRef::Name(name) => name,
        }
    }

    /// Calls `visit` with the facts of every row in `rows`, in storage order rather than the
    /// list's: evidence by position, then manual, then reported actions. Reading a million
    /// evidence items in order is several times faster than in a list's order, where every
    /// row is a cache miss in the evidence, the decisions and the alerts.
    pub(crate) fn each_fact<'a>(&'a self, rows: &RowSet, mut visit: impl FnMut(Row, RowFacts<'a>)) {
        let kept = self.kept_positions();
        for row in rows.iter() {
            if let Some(facts) = self.row_facts(row, &kept) {
                visit(row, facts);
            }
        }
    }

    /// Whether the evidence at `pos` gives an action: the same test as `resolve`, without
    /// formatting and parsing its id (listing walks a million of them).
    pub(super) fn gives_action(&self, pos: u32, kept: &Kept<'_>) -> bool {
        let Some(fact) = self.facts.get(pos as usize) else {
            return false;
        };
        let decided = matches!(fact.outcome, Outcome::Automatic | Outcome::PendingApproval);
        (decided || kept.contains_key(&pos))
            && fact.action.is_some()
            // A repeated `(alert, index)` pair names the first evidence only.
            && self.positions.is_first(pos)
    }

    /// The overlay's evidence actions by position, so that listing a million actions does not
    /// look each id up.
    pub(super) fn kept_positions(&self) -> Kept<'_> {
        if self.overlay.is_empty() {
            return Kept::default();
        }
        self.overlay
            .iter()
            .filter_map(|(id, h)| self.position_of(id).map(|p| (p, h)))
            .collect()
    }
}

/// Lists the Pending and History tabs a slice at a time: scanning the evidence actions, then
/// sorting each tab, each a step of its own. See `Center::rows`.
pub struct RowsBuilder<'a> {
    center: &'a Center,
    kept: Kept<'a>,
    /// The next evidence position to look at.
    next: usize,
    /// Every evidence, manual and reported action has been looked at.
    scanned: bool,
    pending: Vec<(u64, Row)>,
    history: Vec<(u64, Row)>,
    sorted_pending: Option<Vec<Row>>,
    sorted_history: Option<Vec<Row>>,
    next_expiry: Option<Timestamp>,
}

impl RowsBuilder<'_> {
    fn push(&mut self, row: Row, snap: &ActionState<'_>) {
        if snap.status == Status::Pending {
            if let Some(expiry) = snap.since.map(|s| s.plus_days(TIMEOUT_DAYS)) {
                self.next_expiry = Some(self.next_expiry.map_or(expiry, |e| e.min(expiry)));
            }
            self.pending.push((time_key(snap.since), row));
        } else {
            self.history.push((!time_key(snap.at), row));
        }
    }

    /// Looks at up to `budget` more evidence items, or sorts one tab; true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let center = self.center;
        if !self.scanned {
            let n = center.facts.len();
            let end = self.next.saturating_add(budget).min(n);
            for pos in self.next..end {
                let Ok(pos) = u32::try_from(pos) else { break };
                if center.gives_action(pos, &self.kept) {
                    let human = self.kept.get(&pos).copied();
                    let snap = center.evidence_state(pos, human, center.now);
                    self.push(Row::evidence(pos), &snap);
                }
            }
            self.next = end;
            if end == n {
                for (i, m) in center.manual.iter().enumerate() {
                    let snap = center.manual_state(i, center.overlay.get(&m.id));
                    self.push(Row::manual(i), &snap);
                }
                for (i, r) in center.data.reported_actions.iter().enumerate() {
                    // Reported actions are history as the portal saw it, whatever their status.
                    if r.action.is_some() && r.status.is_some() {
                        let key = !time_key(r.updated.or(r.created));
                        self.history.push((key, Row::reported(i)));
                    }
                }
                self.scanned = true;
            }
            return false;
        }
        if self.sorted_pending.is_none() {
            self.sorted_pending = Some(sorted(std::mem::take(&mut self.pending)));
            return false;
        }
        if self.sorted_history.is_none() {
            self.sorted_history = Some(sorted(std::mem::take(&mut self.history)));
        }
        true
    }

    /// Evidence items looked at, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.center.facts.len())
    }

    /// The lists, with whatever steps were left done now.
    pub fn finish(mut self) -> Rows {
        while !self.step(usize::MAX) {}
        Rows {
            pending: self.sorted_pending.take().unwrap_or_default(),
            history: self.sorted_history.take().unwrap_or_default(),
            next_expiry: self.next_expiry,
        }
    }
}

/// A set of rows: a bit per evidence position, manual action and reported action.
pub(crate) struct RowSet {
    evidence: Vec<u64>,
    manual: Vec<u64>,
    reported: Vec<u64>,
}

fn bit(words: &[u64], i: u32) -> bool {
    words
        .get(i as usize / 64)
        .is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn set_bit(words: &mut [u64], i: u32) {
    if let Some(w) = words.get_mut(i as usize / 64) {
        *w |= 1 << (i % 64);
    }
}

fn ones(words: &[u64]) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(|(w, word)| {
        let mut bits = *word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                (w * 64) as u32 + b
            })
        })
    })
}

impl RowSet {
    pub(crate) fn new(center: &Center) -> RowSet {
        let words = |n: usize| vec![0u64; n.div_ceil(64)];
        RowSet {
            evidence: words(center.data().evidence.len()),
            manual: words(center.manual_count()),
            reported: words(center.data().reported_actions.len()),
        }
    }

    pub(crate) fn of(center: &Center, rows: &[Row]) -> RowSet {
        let mut set = RowSet::new(center);
        rows.iter().for_each(|r| set.insert(*r));
        set
    }

    pub(crate) fn insert(&mut self, row: Row) {
        match row.kind() {
            RowKind::Evidence(i) => set_bit(&mut self.evidence, i),
            RowKind::Manual(i) => set_bit(&mut self.manual, i),
            RowKind::Reported(i) => set_bit(&mut self.reported, i),
        }
    }

    pub(crate) fn contains(&self, row: Row) -> bool {
        match row.kind() {
            RowKind::Evidence(i) => bit(&self.evidence, i),
            RowKind::Manual(i) => bit(&self.manual, i),
            RowKind::Reported(i) => bit(&self.reported, i),
        }
    }

    /// The rows in storage order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Row> + '_ {
        ones(&self.evidence)
            .map(Row::evidence)
            .chain(ones(&self.manual).map(|i| Row::manual(i as usize)))
            .chain(ones(&self.reported).map(|i| Row::reported(i as usize)))
    }
}
