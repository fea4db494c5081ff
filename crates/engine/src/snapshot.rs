//! Snapshots: a compact binary encoding of a `Dataset`.
//!
//! The web app parses exports in a Web Worker and hands the dataset to the page as a snapshot;
//! it also keeps the snapshot in IndexedDB, so that a reload does not parse hundreds of
//! megabytes of JSON again. The page must never block for long, so decoding is incremental:
//! `Decoder::step` decodes a budget of items and returns, and the page yields to the browser
//! between steps. The look-up indexes are built item by item as the data arrives, never in one
//! long pass at the end.
//!
//! The encoding is written by hand rather than derived: every kilobyte of WebAssembly is
//! downloaded by every analyst, and the decoder must check what it reads rather than trust it.
//! The decoding logic is not generic over the reader, so it is compiled once.
//!
//! # Layout
//!
//! Little-endian throughout. A *varint* is an unsigned LEB128 number; a *text* is a varint
//! length and that many bytes of UTF-8; an *optional text* is a varint of 0 for none, else the
//! length plus one and the bytes; an *optional time* is a byte 0, or a byte 1 and an `i64` of
//! milliseconds; a *symbol* is a `u32`, 0 for none, else the string's position from 1.
//!
//! - header: the magic `airvsnap`, the format version (`u32`), the snapshot's length in bytes
//!   (`u64`, header and trailer included), then one `u32` count per section;
//! - sections, in this order: files (texts); strings (texts, in symbol order); devices (id,
//!   DNS name, device group, OS platform, varint count of tags and the tags); alerts (their
//!   fields, the file as a varint, then a varint count of the alert's devices and their
//!   indexes); evidence (alert and position as varints, four enum tags, a flag byte with the
//!   creation time when there is one, six symbols; a string-carrying variant writes its text
//!   after its tag); repeated alerts; investigations; reported actions;
//! - trailer: the Adler-32 checksum of everything before it (`u32`).
//!
//! Every reference points backwards (evidence to alerts and strings, alerts to devices and
//! files), so the decoder checks each one as it reads it.

use crate::intern::Sym;
use crate::model::{
    Alert, Dataset, Device, EntityKind, Evidence, InvestigationInfo, RemediationStatus,
    ReportedAction, Verdict, VerdictSource,
};
use crate::time::Timestamp;
use crate::vocab::action::ActionType;
use crate::vocab::Status;
use std::fmt;
use std::io::{ErrorKind, Read};

/// The first bytes of every snapshot.
const MAGIC: [u8; 8] = *b"airvsnap";

/// The format version this airview writes and reads. Any change to the layout changes it.
pub const FORMAT: u32 = 1;

const FILES: usize = 0;
const STRINGS: usize = 1;
const DEVICES: usize = 2;
const ALERTS: usize = 3;
const EVIDENCE: usize = 4;
const REPEATED: usize = 5;
const INVESTIGATIONS: usize = 6;
const REPORTED: usize = 7;
const SECTIONS: usize = 8;

/// The fewest bytes an item of each section takes. The counts in a header must fit in its
/// length at these sizes, which bounds what a decoder reserves for a count it has not yet
/// seen the data of.
const MIN_BYTES: [u64; SECTIONS] = [1, 1, 5, 12, 31, 2, 8, 16];

const HEADER: u64 = 8 + 4 + 8 + 4 * SECTIONS as u64;
const TRAILER: u64 = 4;

/// Why a snapshot could not be decoded. Positions count bytes from the snapshot's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// The data does not start as a snapshot does.
    NotASnapshot,
    /// A snapshot of another format version.
    Version { found: u32, reads: u32 },
    /// The data stops after `at` bytes, before the snapshot's end.
    EndsEarly { at: u64 },
    /// What is at byte `at` cannot be right.
    Corrupted { at: u64, what: &'static str },
    /// Every part reads well, but the checksum says some byte changed.
    Checksum,
    /// The reader failed after `at` bytes. (Only the kind of its error is kept: readers over
    /// memory do not fail, and the kind keeps `std::io::Error`'s formatting out of the
    /// WebAssembly.)
    Unreadable { at: u64, kind: ErrorKind },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::NotASnapshot => f.write_str("the saved data is not an airview snapshot"),
            SnapshotError::Version { found, reads } => write!(
                f,
                "it was written by another version of airview (format {found}, this version reads {reads})"
            ),
            SnapshotError::EndsEarly { at } => write!(f, "it ends early at byte {at}"),
            SnapshotError::Corrupted { at, what } => {
                write!(f, "it is corrupted at byte {at}: {what}")
            }
            SnapshotError::Checksum => {
                f.write_str("it is corrupted: its checksum does not match its content")
            }
            SnapshotError::Unreadable { at, kind } => {
                write!(f, "it could not be read at byte {at}: {kind}")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

fn corrupt(at: u64, what: &'static str) -> SnapshotError {
    SnapshotError::Corrupted { at, what }
}

/// Adler-32: a checksum that costs two additions a byte and finds every single changed byte,
/// for data that lies in browser storage for weeks.
#[derive(Clone, Copy)]
struct Adler32 {
    a: u32,
    b: u32,
}

impl Adler32 {
    const NEW: Adler32 = Adler32 { a: 1, b: 0 };

    fn update(&mut self, bytes: &[u8]) {
        // 5552 bytes is the most that can be summed before `b` could overflow.
        for chunk in bytes.chunks(5552) {
            for &x in chunk {
                self.a = self.a.wrapping_add(u32::from(x));
                self.b = self.b.wrapping_add(self.a);
            }
            self.a %= 65521;
            self.b %= 65521;
        }
    }

    fn value(self) -> u32 {
        (self.b << 16) | self.a
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// Encodes everything the dataset holds. Its `alert_devices` are written alongside the alerts,
/// one list per alert (as every importer keeps them).
pub fn encode(data: &Dataset) -> Vec<u8> {
    let mut out = Out(Vec::with_capacity(64 + data.evidence.len() * 48));
    out.0.extend_from_slice(&MAGIC);
    out.u32(FORMAT);
    // The length, written once it is known.
    out.0.extend_from_slice(&[0; 8]);
    for n in [
        data.files.len(),
        data.strings.len(),
        data.devices.len(),
        data.alerts.len(),
        data.evidence.len(),
        data.repeated_alerts.len(),
        data.investigations.len(),
        data.reported_actions.len(),
    ] {
        out.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    for f in &data.files {
        out.text(f);
    }
    for n in 1..=u32::try_from(data.strings.len()).unwrap_or(u32::MAX) {
        out.text(Sym::from_number(n).map_or("", |s| data.strings.text(s)));
    }
    for d in &data.devices {
        out.text(&d.mde_device_id);
        out.opt_text(d.dns_name.as_deref());
        out.opt_text(d.rbac_group_name.as_deref());
        out.opt_text(d.os_platform.as_deref());
        out.count(d.tags.len());
        for t in &d.tags {
            out.text(t);
        }
    }
    for (i, a) in data.alerts.iter().enumerate() {
        out.text(&a.id);
        out.opt_text(a.title.as_deref());
        out.opt_text(a.incident_id.as_deref());
        out.opt_text(a.investigation_id.as_deref());
        out.opt_text(a.investigation_state.as_deref());
        out.opt_text(a.classification.as_deref());
        out.time(a.created);
        out.opt_text(a.machine_id.as_deref());
        out.opt_text(a.rbac_group_name.as_deref());
        out.opt_text(a.machine_dns_name.as_deref());
        out.varint(a.file.into());
        let devices = data.alert_devices.get(i).map_or(&[][..], Vec::as_slice);
        out.count(devices.len());
        for &d in devices {
            out.varint(d.into());
        }
    }
    for e in &data.evidence {
        out.evidence(e);
    }
    for (file, id) in &data.repeated_alerts {
        out.varint((*file).into());
        out.text(id);
    }
    for i in &data.investigations {
        out.text(&i.id);
        out.opt_text(i.state.as_deref());
        out.opt_text(i.machine_id.as_deref());
        out.opt_text(i.machine_dns_name.as_deref());
        out.time(i.started);
        out.time(i.ended);
        out.opt_text(i.triggering_alert_id.as_deref());
        out.varint(i.file.into());
    }
    for a in &data.reported_actions {
        out.text(&a.id);
        out.byte(a.action.map_or(0, |t| t as u8 + 1));
        out.text(&a.action_label);
        out.opt_text(a.entity.as_deref());
        out.opt_text(a.device.as_deref());
        out.opt_text(a.machine_id.as_deref());
        out.opt_text(a.investigation_id.as_deref());
        out.byte(a.status.map_or(0, |s| s as u8 + 1));
        out.text(&a.reported_status);
        out.text(&a.source);
        out.opt_text(a.decided_by.as_deref());
        out.opt_text(a.comment.as_deref());
        out.time(a.created);
        out.time(a.updated);
        out.opt_text(a.wait_time.as_deref());
        out.varint(a.file.into());
    }
    let mut bytes = out.0;
    let length = bytes.len() as u64 + TRAILER;
    if let Some(field) = bytes.get_mut(12..20) {
        field.copy_from_slice(&length.to_le_bytes());
    }
    let mut sum = Adler32::NEW;
    sum.update(&bytes);
    bytes.extend_from_slice(&sum.value().to_le_bytes());
    bytes
}

struct Out(Vec<u8>);

impl Out {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn text(&mut self, s: &str) {
        self.count(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.count(s.len() + 1);
                self.0.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn time(&mut self, t: Option<Timestamp>) {
        match t {
            None => self.byte(0),
            Some(t) => {
                self.byte(1);
                self.0.extend_from_slice(&t.0.to_le_bytes());
            }
        }
    }

    fn sym(&mut self, s: Option<Sym>) {
        self.u32(s.map_or(0, Sym::number));
    }

    fn evidence(&mut self, e: &Evidence) {
        self.varint(e.alert.into());
        self.varint(e.index.into());
        let (kind, other) = match &e.kind {
            EntityKind::File => (0, None),
            EntityKind::Process => (1, None),
            EntityKind::RegistryKey => (2, None),
            EntityKind::RegistryValue => (3, None),
            EntityKind::Service => (4, None),
            EntityKind::Driver => (5, None),
            EntityKind::ScheduledTask => (6, None),
            EntityKind::EmailMessage => (7, None),
            EntityKind::MailCluster => (8, None),
            EntityKind::Url => (9, None),
            EntityKind::EmailAttachment => (10, None),
            EntityKind::Mailbox => (11, None),
            EntityKind::User => (12, None),
            EntityKind::Device => (13, None),
            EntityKind::Ip => (14, None),
            EntityKind::CloudApplication => (15, None),
            EntityKind::Other(name) => (16, Some(name)),
        };
        self.tagged(kind, other);
        let (verdict, raw) = match &e.verdict {
            Verdict::Malicious => (0, None),
            Verdict::Suspicious => (1, None),
            Verdict::NoThreatsFound => (2, None),
            Verdict::Unknown => (3, None),
            Verdict::Unrecognized(raw) => (4, Some(raw)),
        };
        self.tagged(verdict, raw);
        self.byte(e.verdict_source as u8);
        let (status, raw) = match &e.remediation_status {
            None => (0, None),
            Some(RemediationStatus::None) => (1, None),
            Some(RemediationStatus::Remediated) => (2, None),
            Some(RemediationStatus::Prevented) => (3, None),
            Some(RemediationStatus::Blocked) => (4, None),
            Some(RemediationStatus::NotFound) => (5, None),
            Some(RemediationStatus::PendingApproval) => (6, None),
            Some(RemediationStatus::Declined) => (7, None),
            Some(RemediationStatus::Unremediated) => (8, None),
            Some(RemediationStatus::Running) => (9, None),
            Some(RemediationStatus::PartiallyRemediated) => (10, None),
            Some(RemediationStatus::Active) => (11, None),
            Some(RemediationStatus::Failed) => (12, None),
            Some(RemediationStatus::TimedOut) => (13, None),
            Some(RemediationStatus::Unrecognized(raw)) => (14, Some(raw)),
        };
        self.tagged(status, raw);
        self.byte(u8::from(e.compromised) | (u8::from(e.created.is_some()) << 1));
        if let Some(t) = e.created {
            self.0.extend_from_slice(&t.0.to_le_bytes());
        }
        for s in [
            e.mde_device_id,
            e.folder,
            e.file_name,
            e.sha256,
            e.entity,
            e.cluster_key,
        ] {
            self.sym(s);
        }
    }

    fn tagged(&mut self, tag: u8, text: Option<&String>) {
        self.byte(tag);
        if let Some(text) = text {
            self.text(text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Decodes a whole snapshot at once.
pub fn decode(bytes: &[u8]) -> Result<Dataset, SnapshotError> {
    let mut decoder = Decoder::new(bytes)?;
    loop {
        if let Some(data) = decoder.step(usize::MAX)? {
            return Ok(data);
        }
    }
}

/// Decodes a snapshot a few items at a time, so that the caller can yield between steps.
///
/// Every input is checked: a decoder returns an error rather than a dataset whose symbols,
/// alert, device or file indexes name nothing, and never reserves more memory for a count
/// than the snapshot's length could hold.
pub struct Decoder<R: Read> {
    reader: R,
    core: Core,
}

impl<R: Read> Decoder<R> {
    /// Reads and checks the header.
    pub fn new(mut reader: R) -> Result<Self, SnapshotError> {
        let core = Core::start(&mut reader)?;
        Ok(Decoder { reader, core })
    }

    /// Decodes up to `budget` more items (at least one): a file name, a string, a device, an
    /// alert, an evidence item, … each count as one. Returns the dataset once it is complete;
    /// after that, `Ok(None)`. After an error, returns that error again.
    pub fn step(&mut self, budget: usize) -> Result<Option<Dataset>, SnapshotError> {
        self.core.step(&mut self.reader, budget)
    }

    /// Items decoded so far, and items in the snapshot.
    pub fn progress(&self) -> (usize, usize) {
        (self.core.done, self.core.total)
    }
}

/// What the decoder needs of its reader. A `dyn Read` would carry every method of `Read` (and
/// its implementation for each reader) into the WebAssembly; this carries one.
trait Source {
    fn read_into(&mut self, buf: &mut [u8]) -> std::io::Result<usize>;
}

impl<R: Read> Source for R {
    fn read_into(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read(buf)
    }
}

enum State {
    Running,
    Finished,
    Failed(SnapshotError),
}

/// The decoder's state; not generic, so that its code exists once in the WebAssembly.
struct Core {
    input: Input,
    data: Dataset,
    /// The snapshot's length as its header gives it.
    length: u64,
    counts: [u32; SECTIONS],
    section: usize,
    /// Items left in the current section.
    left: u32,
    done: usize,
    total: usize,
    /// The bytes of the string being interned.
    scratch: Vec<u8>,
    state: State,
}

impl Core {
    fn start(reader: &mut dyn Source) -> Result<Core, SnapshotError> {
        let mut input = Input {
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            base: 0,
            hashed: 0,
            sum: Adler32::NEW,
            summing: true,
        };
        let mut src = Src {
            input: &mut input,
            reader,
            length: u64::MAX,
            error: None,
        };
        while src.available() < MAGIC.len() && src.fill()? {}
        match src.input.buf.get(..src.available().min(MAGIC.len())) {
            Some(head) if !head.is_empty() && MAGIC.starts_with(head) => {}
            _ => return Err(SnapshotError::NotASnapshot),
        }
        src.array::<8>();
        let found = src.u32();
        src.check()?;
        if found != FORMAT {
            return Err(SnapshotError::Version {
                found,
                reads: FORMAT,
            });
        }
        let length_at = src.at();
        let length = u64::from_le_bytes(src.array());
        let counts_at = src.at();
        let mut counts = [0u32; SECTIONS];
        for c in &mut counts {
            *c = src.u32();
        }
        src.check()?;
        let body = length.checked_sub(HEADER + TRAILER).ok_or(corrupt(
            length_at,
            "a length shorter than a snapshot can be",
        ))?;
        let needed: u64 = counts
            .iter()
            .zip(MIN_BYTES)
            .map(|(&c, min)| u64::from(c) * min)
            .sum();
        if needed > body {
            return Err(corrupt(counts_at, "counts that do not fit in its length"));
        }
        let mut core = Core {
            input,
            data: Dataset::new(),
            length,
            counts,
            section: FILES,
            left: counts[FILES],
            done: 0,
            total: counts
                .iter()
                .fold(0usize, |t, &c| t.saturating_add(c as usize)),
            scratch: Vec::new(),
            state: State::Running,
        };
        reserve(&mut core.data, FILES, counts[FILES] as usize);
        Ok(core)
    }

    fn step(
        &mut self,
        reader: &mut dyn Source,
        budget: usize,
    ) -> Result<Option<Dataset>, SnapshotError> {
        match &self.state {
            State::Running => {}
            State::Finished => return Ok(None),
            State::Failed(e) => return Err(e.clone()),
        }
        let result = self.run(reader, budget.max(1));
        match &result {
            Ok(Some(_)) => self.state = State::Finished,
            Ok(None) => {}
            Err(e) => self.state = State::Failed(e.clone()),
        }
        result
    }

    fn run(
        &mut self,
        reader: &mut dyn Source,
        mut budget: usize,
    ) -> Result<Option<Dataset>, SnapshotError> {
        let mut src = Src {
            input: &mut self.input,
            reader,
            length: self.length,
            error: None,
        };
        loop {
            if self.left == 0 {
                self.section += 1;
                let Some(&count) = self.counts.get(self.section) else {
                    finish(&mut src, self.length)?;
                    return Ok(Some(std::mem::take(&mut self.data)));
                };
                self.left = count;
                reserve(&mut self.data, self.section, count as usize);
                continue;
            }
            if budget == 0 {
                return Ok(None);
            }
            item(&mut src, &mut self.data, self.section, &mut self.scratch);
            src.check()?;
            self.left -= 1;
            self.done += 1;
            budget -= 1;
        }
    }
}

/// Makes room for a section's items. The header's counts fit in its length (checked in
/// `Core::start`), so this reserves no more than the snapshot could fill.
fn reserve(data: &mut Dataset, section: usize, n: usize) {
    match section {
        FILES => drop(data.files.try_reserve_exact(n)),
        STRINGS => data.strings.reserve(n),
        DEVICES => {
            drop(data.devices.try_reserve_exact(n));
            data.reserve_indexes(0, n);
        }
        ALERTS => {
            drop(data.alerts.try_reserve_exact(n));
            drop(data.alert_devices.try_reserve_exact(n));
            data.reserve_indexes(n, 0);
        }
        EVIDENCE => drop(data.evidence.try_reserve_exact(n)),
        REPEATED => drop(data.repeated_alerts.try_reserve_exact(n)),
        INVESTIGATIONS => drop(data.investigations.try_reserve_exact(n)),
        REPORTED => drop(data.reported_actions.try_reserve_exact(n)),
        // There is no other section.
        _ => {}
    }
}

/// Decodes one item of `section` into `data`. On an error (kept in `src`), what it adds is of
/// no consequence: the decoder stops, and never returns the dataset.
fn item(src: &mut Src, data: &mut Dataset, section: usize, scratch: &mut Vec<u8>) {
    let files = data.files.len();
    match section {
        FILES => {
            let f = src.text();
            data.files.push(f);
        }
        STRINGS => {
            let at = src.at();
            let len = src.varint();
            src.bytes(len, at, scratch);
            match std::str::from_utf8(scratch) {
                Ok(text) => {
                    let before = data.strings.len();
                    data.strings.intern(text);
                    if data.strings.len() == before {
                        src.fail(corrupt(at, "a string that appears twice"));
                    }
                }
                Err(_) => src.fail(corrupt(at, NOT_UTF8)),
            }
        }
        DEVICES => {
            let mut device = Device {
                mde_device_id: src.text(),
                dns_name: src.opt_text(),
                rbac_group_name: src.opt_text(),
                os_platform: src.opt_text(),
                tags: Vec::new(),
            };
            for _ in 0..src.small() {
                if src.error.is_some() {
                    break;
                }
                device.tags.push(src.text());
            }
            data.push_device_indexed(device);
        }
        ALERTS => {
            let alert = Alert {
                id: src.text(),
                title: src.opt_text(),
                incident_id: src.opt_text(),
                investigation_id: src.opt_text(),
                investigation_state: src.opt_text(),
                classification: src.opt_text(),
                created: src.time(),
                machine_id: src.opt_text(),
                rbac_group_name: src.opt_text(),
                machine_dns_name: src.opt_text(),
                file: src.index(files, NO_FILE),
            };
            let mut devices = Vec::new();
            for _ in 0..src.small() {
                if src.error.is_some() {
                    break;
                }
                devices.push(src.index(data.devices.len(), "a device beyond the devices"));
            }
            data.push_alert_indexed(alert);
            data.alert_devices.push(devices);
        }
        EVIDENCE => {
            let e = src.evidence(data);
            data.evidence.push(e);
        }
        REPEATED => {
            let file = src.index(files, NO_FILE);
            let id = src.text();
            data.repeated_alerts.push((file, id));
        }
        INVESTIGATIONS => {
            let i = InvestigationInfo {
                id: src.text(),
                state: src.opt_text(),
                machine_id: src.opt_text(),
                machine_dns_name: src.opt_text(),
                started: src.time(),
                ended: src.time(),
                triggering_alert_id: src.opt_text(),
                file: src.index(files, NO_FILE),
            };
            data.investigations.push(i);
        }
        REPORTED => {
            let a = ReportedAction {
                id: src.text(),
                action: src.listed(&ActionType::ALL, "an unknown action type"),
                action_label: src.text(),
                entity: src.opt_text(),
                device: src.opt_text(),
                machine_id: src.opt_text(),
                investigation_id: src.opt_text(),
                status: src.listed(&Status::ALL, "an unknown action status"),
                reported_status: src.text(),
                source: src.text(),
                decided_by: src.opt_text(),
                comment: src.opt_text(),
                created: src.time(),
                updated: src.time(),
                wait_time: src.opt_text(),
                file: src.index(files, NO_FILE),
            };
            data.reported_actions.push(a);
        }
        // There is no other section.
        _ => {}
    }
}

/// Checks the end: the length, the checksum, and that nothing follows.
fn finish(src: &mut Src, length: u64) -> Result<(), SnapshotError> {
    let sum = src.input.seal();
    let at = src.at();
    if at.checked_add(TRAILER) != Some(length) {
        return Err(corrupt(at, "a length that does not match its content"));
    }
    let stored = src.u32();
    src.check()?;
    if stored != sum {
        return Err(SnapshotError::Checksum);
    }
    if src.available() > 0 || src.fill()? {
        return Err(corrupt(length, "data after its end"));
    }
    Ok(())
}

const NOT_UTF8: &str = "text that is not UTF-8";
const NO_FILE: &str = "a file beyond the files";

/// A buffer over the reader, so that reading a field costs a bounds check, not a call.
struct Input {
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The position in the snapshot of `buf[0]`.
    base: u64,
    /// Bytes of `buf` before this are in `sum` already.
    hashed: usize,
    sum: Adler32,
    summing: bool,
}

impl Input {
    fn hash_consumed(&mut self) {
        if self.summing {
            if let Some(bytes) = self.buf.get(self.hashed..self.pos) {
                self.sum.update(bytes);
            }
            self.hashed = self.pos;
        }
    }

    /// Stops the checksum here and returns it.
    fn seal(&mut self) -> u32 {
        self.hash_consumed();
        self.summing = false;
        self.sum.value()
    }
}

/// The input and its reader, for the length of a step.
///
/// Reading a field cannot fail: the first error is kept in `error`, and every read after it
/// returns a default value at once; `check` gives the error back. This keeps the decoding of a
/// record straight-line code, without an exit (and the drops of the fields read so far) after
/// every field, which matters for the size of the WebAssembly.
struct Src<'a> {
    input: &'a mut Input,
    reader: &'a mut dyn Source,
    length: u64,
    error: Option<SnapshotError>,
}

impl Src<'_> {
    fn fail(&mut self, e: SnapshotError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn check(&mut self) -> Result<(), SnapshotError> {
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn at(&self) -> u64 {
        self.input.base + self.input.pos as u64
    }

    fn available(&self) -> usize {
        self.input.end - self.input.pos
    }

    /// Reads more into the buffer; `false` at the end of the data.
    fn fill(&mut self) -> Result<bool, SnapshotError> {
        let input = &mut *self.input;
        input.hash_consumed();
        input.buf.copy_within(input.pos..input.end, 0);
        input.base += input.pos as u64;
        input.end -= input.pos;
        input.pos = 0;
        input.hashed = 0;
        loop {
            let space = input.buf.get_mut(input.end..).unwrap_or_default();
            match self.reader.read_into(space) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    input.end = (input.end + n).min(input.buf.len());
                    return Ok(true);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(false),
                Err(e) => {
                    return Err(SnapshotError::Unreadable {
                        at: input.base + input.end as u64,
                        kind: e.kind(),
                    })
                }
            }
        }
    }

    /// Makes sure `n` bytes (at most the buffer's size) are in the buffer; `false` if they
    /// cannot be, or after an error.
    fn need(&mut self, n: usize) -> bool {
        while self.error.is_none() && self.available() < n {
            match self.fill() {
                Ok(true) => {}
                Ok(false) => {
                    let at = self.input.base + self.input.end as u64;
                    self.fail(SnapshotError::EndsEarly { at });
                }
                Err(e) => self.fail(e),
            }
        }
        self.error.is_none()
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut bytes = [0; N];
        if self.need(N) {
            let pos = self.input.pos;
            if let Some(b) = self.input.buf.get(pos..pos + N) {
                bytes.copy_from_slice(b);
                self.input.pos += N;
            }
        }
        bytes
    }

    fn byte(&mut self) -> u8 {
        self.array::<1>()[0]
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    fn varint(&mut self) -> u64 {
        let at = self.at();
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                if shift < 63 || b < 2 {
                    return value;
                }
                break;
            }
        }
        self.fail(corrupt(at, "a number too large"));
        0
    }

    /// A varint that must fit in 32 bits.
    fn small(&mut self) -> u32 {
        let at = self.at();
        let n = self.varint();
        u32::try_from(n).unwrap_or_else(|_| {
            self.fail(corrupt(at, "a number too large"));
            0
        })
    }

    /// A varint that must be below `limit`: a reference into what is decoded already.
    fn index(&mut self, limit: usize, what: &'static str) -> u32 {
        let at = self.at();
        let n = self.small();
        if n as usize >= limit {
            self.fail(corrupt(at, what));
        }
        n
    }

    /// Reads `len` bytes into `out`, growing it as the bytes arrive rather than trusting `len`.
    fn bytes(&mut self, len: u64, at: u64, out: &mut Vec<u8>) {
        out.clear();
        let mut left = match usize::try_from(len) {
            Ok(n) if len <= self.length.saturating_sub(self.at()) => n,
            _ => {
                self.fail(corrupt(at, "a text longer than the snapshot"));
                0
            }
        };
        while left > 0 && self.need(1) {
            let take = left.min(self.available());
            let pos = self.input.pos;
            if let Some(chunk) = self.input.buf.get(pos..pos + take) {
                out.extend_from_slice(chunk);
            }
            self.input.pos += take;
            left -= take;
        }
    }

    fn string(&mut self, len: u64, at: u64) -> String {
        let mut bytes = Vec::new();
        self.bytes(len, at, &mut bytes);
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => {
                self.fail(corrupt(at, NOT_UTF8));
                String::new()
            }
        }
    }

    fn text(&mut self) -> String {
        let at = self.at();
        let len = self.varint();
        self.string(len, at)
    }

    fn opt_text(&mut self) -> Option<String> {
        let at = self.at();
        match self.varint() {
            0 => None,
            n => Some(self.string(n - 1, at)),
        }
    }

    fn time(&mut self) -> Option<Timestamp> {
        let at = self.at();
        match self.byte() {
            0 => None,
            1 => Some(Timestamp(i64::from_le_bytes(self.array()))),
            _ => {
                self.fail(corrupt(at, "an unknown time marker"));
                None
            }
        }
    }

    /// A byte naming an entry of `all` from 1, or 0 for none.
    fn listed<T: Copy>(&mut self, all: &[T], what: &'static str) -> Option<T> {
        let at = self.at();
        let n = usize::from(self.byte());
        let found = all.get(n.checked_sub(1)?).copied();
        if found.is_none() {
            self.fail(corrupt(at, what));
        }
        found
    }

    fn sym(&mut self, strings: usize) -> Option<Sym> {
        let at = self.at();
        let n = self.u32();
        if n as usize > strings {
            self.fail(corrupt(at, "a symbol beyond the strings"));
        }
        Sym::from_number(n)
    }

    fn evidence(&mut self, data: &Dataset) -> Evidence {
        let alert = self.index(data.alerts.len(), "an alert beyond the alerts");
        let index = self.small();
        let at = self.at();
        let kind = match self.byte() {
            0 => EntityKind::File,
            1 => EntityKind::Process,
            2 => EntityKind::RegistryKey,
            3 => EntityKind::RegistryValue,
            4 => EntityKind::Service,
            5 => EntityKind::Driver,
            6 => EntityKind::ScheduledTask,
            7 => EntityKind::EmailMessage,
            8 => EntityKind::MailCluster,
            9 => EntityKind::Url,
            10 => EntityKind::EmailAttachment,
            11 => EntityKind::Mailbox,
            12 => EntityKind::User,
            13 => EntityKind::Device,
            14 => EntityKind::Ip,
            15 => EntityKind::CloudApplication,
            16 => EntityKind::Other(self.text()),
            _ => {
                self.fail(corrupt(at, "an unknown evidence kind"));
                EntityKind::File
            }
        };
        let at = self.at();
        let verdict = match self.byte() {
            0 => Verdict::Malicious,
            1 => Verdict::Suspicious,
            2 => Verdict::NoThreatsFound,
            3 => Verdict::Unknown,
            4 => Verdict::Unrecognized(self.text()),
            _ => {
                self.fail(corrupt(at, "an unknown verdict"));
                Verdict::Unknown
            }
        };
        let at = self.at();
        let verdict_source = match self.byte() {
            0 => VerdictSource::Export,
            1 => VerdictSource::DetectionStatus,
            2 => VerdictSource::AlertClassification,
            3 => VerdictSource::NoSignal,
            _ => {
                self.fail(corrupt(at, "an unknown verdict source"));
                VerdictSource::Export
            }
        };
        let at = self.at();
        let remediation_status = match self.byte() {
            0 => None,
            1 => Some(RemediationStatus::None),
            2 => Some(RemediationStatus::Remediated),
            3 => Some(RemediationStatus::Prevented),
            4 => Some(RemediationStatus::Blocked),
            5 => Some(RemediationStatus::NotFound),
            6 => Some(RemediationStatus::PendingApproval),
            7 => Some(RemediationStatus::Declined),
            8 => Some(RemediationStatus::Unremediated),
            9 => Some(RemediationStatus::Running),
            10 => Some(RemediationStatus::PartiallyRemediated),
            11 => Some(RemediationStatus::Active),
            12 => Some(RemediationStatus::Failed),
            13 => Some(RemediationStatus::TimedOut),
            14 => Some(RemediationStatus::Unrecognized(self.text())),
            _ => {
                self.fail(corrupt(at, "an unknown remediation status"));
                None
            }
        };
        let at = self.at();
        let flags = self.byte();
        if flags > 3 {
            self.fail(corrupt(at, "unknown evidence flags"));
        }
        let created = (flags & 2 != 0).then(|| Timestamp(i64::from_le_bytes(self.array())));
        let n = data.strings.len();
        Evidence {
            alert,
            index,
            kind,
            verdict,
            verdict_source,
            remediation_status,
            created,
            compromised: flags & 1 != 0,
            mde_device_id: self.sym(n),
            folder: self.sym(n),
            file_name: self.sym(n),
            sha256: self.sym(n),
            entity: self.sym(n),
            cluster_key: self.sym(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A dataset with every kind of item and every enum variant, the rare ones included.
    fn sample() -> Dataset {
        let mut d = Dataset::new();
        let f0 = d.add_file("graph.json");
        let f1 = d.add_file("mde — alerts.json");
        let a0 = d
            .add_alert(Alert {
                id: "a0".into(),
                title: Some("Suspicious «process»".into()),
                machine_id: Some("dev-1".into()),
                rbac_group_name: Some("Servers".into()),
                machine_dns_name: Some("srv-01.contoso.com".into()),
                created: Some(Timestamp(1_700_000_000_123)),
                file: f0,
                ..Alert::default()
            })
            .unwrap();
        let a1 = d
            .add_alert(Alert {
                id: "a1".into(),
                incident_id: Some("i1".into()),
                investigation_id: Some("inv-1".into()),
                investigation_state: Some("PendingApproval".into()),
                classification: Some("TruePositive".into()),
                created: Some(Timestamp(-5)),
                file: f1,
                ..Alert::default()
            })
            .unwrap();
        assert!(d
            .add_alert(Alert {
                id: "a0".into(),
                file: f1,
                ..Alert::default()
            })
            .is_none());
        let dev2 = d.upsert_device(Device {
            mde_device_id: "dev-2".into(),
            dns_name: Some("wks-02".into()),
            os_platform: Some("Windows11".into()),
            tags: vec!["vip".into(), String::new()],
            ..Device::default()
        });
        d.link_alert_device(a1, dev2);
        d.link_alert_device(a1, 0);
        let kinds = [
            EntityKind::File,
            EntityKind::Process,
            EntityKind::RegistryKey,
            EntityKind::RegistryValue,
            EntityKind::Service,
            EntityKind::Driver,
            EntityKind::ScheduledTask,
            EntityKind::EmailMessage,
            EntityKind::MailCluster,
            EntityKind::Url,
            EntityKind::EmailAttachment,
            EntityKind::Mailbox,
            EntityKind::User,
            EntityKind::Device,
            EntityKind::Ip,
            EntityKind::CloudApplication,
            EntityKind::Other("#microsoft.graph.security.kubernetesPodEvidence".into()),
        ];
        let verdicts = [
            Verdict::Malicious,
            Verdict::Suspicious,
            Verdict::NoThreatsFound,
            Verdict::Unknown,
            Verdict::Unrecognized("unknownFutureValue".into()),
        ];
        let sources = [
            VerdictSource::Export,
            VerdictSource::DetectionStatus,
            VerdictSource::AlertClassification,
            VerdictSource::NoSignal,
        ];
        let statuses = [
            None,
            Some(RemediationStatus::None),
            Some(RemediationStatus::Remediated),
            Some(RemediationStatus::Prevented),
            Some(RemediationStatus::Blocked),
            Some(RemediationStatus::NotFound),
            Some(RemediationStatus::PendingApproval),
            Some(RemediationStatus::Declined),
            Some(RemediationStatus::Unremediated),
            Some(RemediationStatus::Running),
            Some(RemediationStatus::PartiallyRemediated),
            Some(RemediationStatus::Active),
            Some(RemediationStatus::Failed),
            Some(RemediationStatus::TimedOut),
            Some(RemediationStatus::Unrecognized(
                "Quarantined (sort of)".into(),
            )),
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            let alert = if i % 2 == 0 { a0 } else { a1 };
            let mut e = Evidence::new(alert, i as u32 * 40, kind, verdicts[i % 5].clone());
            e.verdict_source = sources[i % 4];
            e.remediation_status = statuses[i % statuses.len()].clone();
            e.created = (i % 3 != 0).then_some(Timestamp(i64::MIN + i as i64));
            e.compromised = i % 2 == 1;
            e.mde_device_id = Some(d.intern(if i % 2 == 0 { "dev-1" } else { "dev-9" }));
            e.folder = Some(d.intern("C:\\Windows\\Temp"));
            e.file_name = (i % 2 == 0).then(|| d.intern(&format!("f{i}.exe")));
            e.sha256 = (i % 4 == 0).then(|| d.intern(&"ab".repeat(32)));
            e.entity = Some(d.intern(&format!("entity {i} ✓")));
            e.cluster_key = (i == 8).then(|| d.intern("cluster"));
            d.push_evidence(e);
        }
        d.investigations.push(InvestigationInfo {
            id: "inv-1".into(),
            state: Some("Running".into()),
            machine_id: Some("dev-1".into()),
            machine_dns_name: None,
            started: Some(Timestamp(1)),
            ended: Some(Timestamp(i64::MAX)),
            triggering_alert_id: Some("a1".into()),
            file: f1,
        });
        d.investigations.push(InvestigationInfo::default());
        for (i, action) in ActionType::ALL.into_iter().enumerate() {
            d.reported_actions.push(ReportedAction {
                id: format!("{f1}/{i}"),
                action: Some(action),
                action_label: action.slug().to_owned(),
                entity: Some("x.exe".into()),
                device: Some("srv-01".into()),
                machine_id: (i % 2 == 0).then(|| "dev-1".into()),
                investigation_id: Some("inv-1".into()),
                status: Some(Status::ALL[i % Status::ALL.len()]),
                reported_status: "Completed".into(),
                source: "Automated investigation".into(),
                decided_by: Some("Automation".into()),
                comment: Some("line one\nline two".into()),
                created: Some(Timestamp(7)),
                updated: None,
                wait_time: Some("2 hours".into()),
                file: f1,
            });
        }
        d.reported_actions.push(ReportedAction::default());
        d
    }

    /// The sample with two reported actions rather than one per action type: the tests that
    /// try every byte run in a debug build.
    fn small_sample() -> Dataset {
        let mut d = sample();
        d.reported_actions.drain(1..d.reported_actions.len() - 1);
        d
    }

    /// Decodes with `budget` items a step, checking the progress on the way.
    fn decode_by(bytes: &[u8], budget: usize) -> Result<Dataset, SnapshotError> {
        let mut decoder = Decoder::new(bytes)?;
        let (mut done, total) = decoder.progress();
        assert_eq!(done, 0);
        loop {
            let step = decoder.step(budget)?;
            let (now, same_total) = decoder.progress();
            assert_eq!(same_total, total);
            assert!(now >= done && now <= total && now - done <= budget.max(1));
            done = now;
            if let Some(data) = step {
                assert_eq!(decoder.progress(), (total, total));
                assert_eq!(decoder.step(budget), Ok(None));
                return Ok(data);
            }
        }
    }

    fn items(d: &Dataset) -> usize {
        d.files.len()
            + d.strings.len()
            + d.devices.len()
            + d.alerts.len()
            + d.evidence.len()
            + d.repeated_alerts.len()
            + d.investigations.len()
            + d.reported_actions.len()
    }

    /// Recomputes the checksum, so that a test reaches the checks before it.
    fn reseal(bytes: &mut [u8]) {
        let n = bytes.len() - 4;
        let mut sum = Adler32::NEW;
        sum.update(&bytes[..n]);
        bytes[n..].copy_from_slice(&sum.value().to_le_bytes());
    }

    /// Every reference in a decoded dataset names something.
    fn check_references(d: &Dataset) {
        let strings = d.strings.len() as u32;
        let files = d.files.len() as u32;
        assert_eq!(d.alert_devices.len(), d.alerts.len());
        assert!(d.alerts.iter().all(|a| a.file < files));
        assert!(d.repeated_alerts.iter().all(|(f, _)| *f < files));
        assert!(d.investigations.iter().all(|i| i.file < files));
        assert!(d.reported_actions.iter().all(|a| a.file < files));
        assert!(d
            .alert_devices
            .iter()
            .flatten()
            .all(|&dev| (dev as usize) < d.devices.len()));
        for e in &d.evidence {
            assert!((e.alert as usize) < d.alerts.len());
            for s in [
                e.mde_device_id,
                e.folder,
                e.file_name,
                e.sha256,
                e.entity,
                e.cluster_key,
            ]
            .into_iter()
            .flatten()
            {
                assert!(s.number() <= strings);
            }
            if let Some(dev) = d.link_device(e).device() {
                assert!(d.device(dev).is_some());
            }
        }
        for (i, a) in d.alerts.iter().enumerate() {
            assert!(d.alert_by_id(&a.id).is_some_and(|j| j as usize >= i));
        }
    }

    #[test]
    fn adler32_matches_the_reference() {
        let mut sum = Adler32::NEW;
        sum.update(b"Wikipedia");
        assert_eq!(sum.value(), 0x11E6_0398);
        let mut long = Adler32::NEW;
        long.update(&[0xff; 100_000]);
        let mut parts = Adler32::NEW;
        parts.update(&[0xff; 33_333]);
        parts.update(&[0xff; 66_667]);
        assert_eq!(long.value(), parts.value());
    }

    #[test]
    fn the_tables_follow_declaration_order() {
        // Reported actions store `action as u8 + 1` and decode through `ALL`.
        for (i, a) in ActionType::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, i);
        }
        for (i, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i);
        }
    }

    #[test]
    fn a_dataset_comes_back_equal_whatever_the_budget() {
        let data = sample();
        let bytes = encode(&data);
        for budget in [0, 1, 7, usize::MAX] {
            let again = decode_by(&bytes, budget).unwrap();
            assert_eq!(again, data, "budget {budget}");
            check_references(&again);
        }
        let mut decoder = Decoder::new(&bytes[..]).unwrap();
        assert_eq!(decoder.progress(), (0, items(&data)));
        assert_eq!(decode(&bytes).unwrap(), data);
        assert_eq!(encode(&decode(&bytes).unwrap()), bytes);
        // A step of one item leaves the rest for later.
        assert_eq!(decoder.step(1), Ok(None));
        assert_eq!(decoder.progress().0, 1);
    }

    #[test]
    fn the_empty_dataset_comes_back_equal() {
        let bytes = encode(&Dataset::new());
        assert_eq!(bytes.len() as u64, HEADER + TRAILER);
        assert_eq!(decode(&bytes).unwrap(), Dataset::new());
        let mut decoder = Decoder::new(&bytes[..]).unwrap();
        assert_eq!(decoder.progress(), (0, 0));
        assert_eq!(decoder.step(1), Ok(Some(Dataset::new())));
        assert_eq!(decoder.progress(), (0, 0));
    }

    #[test]
    fn the_smallest_items_take_the_bytes_the_header_check_assumes() {
        let mut d = Dataset::new();
        d.add_file("");
        d.upsert_device(Device::default());
        d.add_alert(Alert::default()).unwrap();
        d.push_evidence(Evidence::new(0, 0, EntityKind::File, Verdict::Malicious));
        d.repeated_alerts.push((0, String::new()));
        d.investigations.push(InvestigationInfo::default());
        d.reported_actions.push(ReportedAction::default());
        assert_eq!(d.strings.len(), 1, "the device's empty id");
        let bytes = encode(&d);
        assert_eq!(
            bytes.len() as u64,
            HEADER + TRAILER + MIN_BYTES.iter().sum::<u64>()
        );
        assert_eq!(decode(&bytes).unwrap(), d);
    }

    #[test]
    fn a_reader_that_gives_a_byte_at_a_time_or_is_interrupted_reads_the_same() {
        struct Trickle<'a>(&'a [u8], bool);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.1 = !self.1;
                if self.1 {
                    return Err(ErrorKind::Interrupted.into());
                }
                let n = buf.len().min(self.0.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let data = sample();
        let bytes = encode(&data);
        let mut decoder = Decoder::new(Trickle(&bytes, false)).unwrap();
        let again = loop {
            if let Some(d) = decoder.step(3).unwrap() {
                break d;
            }
        };
        assert_eq!(again, data);
    }

    #[test]
    fn a_failing_reader_is_reported_with_its_position() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("the storage went away"));
                }
                let n = buf.len().min(self.0);
                let bytes = encode(&sample());
                buf[..n].copy_from_slice(&bytes[..n]);
                self.0 -= n;
                Ok(n)
            }
        }
        let e = Decoder::new(Failing(60))
            .and_then(|mut d| d.step(usize::MAX))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "it could not be read at byte 60: other error"
        );
    }

    #[test]
    fn what_is_not_a_snapshot_says_so() {
        let not = "the saved data is not an airview snapshot";
        for bytes in [&b""[..], b"{\"airview\": 1}", b"airvsnaX\x01\0\0\0", b"x"] {
            let e = decode(bytes).err().unwrap();
            assert_eq!(e, SnapshotError::NotASnapshot);
            assert_eq!(e.to_string(), not);
        }
        assert_eq!(
            decode(b"airv").err(),
            Some(SnapshotError::EndsEarly { at: 4 })
        );
    }

    #[test]
    fn another_format_version_says_which() {
        let mut bytes = encode(&sample());
        bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
        let e = decode(&bytes).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it was written by another version of airview (format 2, this version reads 1)"
        );
        // A future format may change everything after the version: nothing else is read.
        assert_eq!(decode(&bytes[..12]).unwrap_err(), e);
    }

    #[test]
    fn every_truncation_ends_early_where_it_ends() {
        let bytes = encode(&small_sample());
        for n in 1..bytes.len() {
            let expected = SnapshotError::EndsEarly { at: n as u64 };
            assert_eq!(decode(&bytes[..n]).err(), Some(expected.clone()), "{n}");
            assert_eq!(decode_by(&bytes[..n], 1).err(), Some(expected), "{n}");
        }
        assert_eq!(
            decode(&bytes[..100]).unwrap_err().to_string(),
            "it ends early at byte 100"
        );
    }

    #[test]
    fn data_after_the_end_is_refused() {
        let mut bytes = encode(&sample());
        let n = bytes.len() as u64;
        bytes.push(0);
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e, corrupt(n, "data after its end"));
        assert_eq!(
            e.to_string(),
            format!("it is corrupted at byte {n}: data after its end")
        );
    }

    #[test]
    fn every_changed_byte_is_refused_and_the_error_repeats() {
        let bytes = encode(&small_sample());
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 0x20;
            let mut decoder = match Decoder::new(&changed[..]) {
                Ok(d) => d,
                Err(_) => continue,
            };
            let e = loop {
                match decoder.step(5) {
                    Ok(None) => {}
                    Ok(Some(_)) => panic!("byte {i} changed, and the snapshot decoded"),
                    Err(e) => break e,
                }
            };
            assert_eq!(decoder.step(5), Err(e));
        }
        let mut changed = bytes.clone();
        let name = changed
            .windows(10)
            .position(|w| w == b"graph.json")
            .unwrap();
        changed[name] = b'G';
        let e = decode(&changed).unwrap_err();
        assert_eq!(e, SnapshotError::Checksum);
        assert_eq!(
            e.to_string(),
            "it is corrupted: its checksum does not match its content"
        );
    }

    /// One file `f`, the strings `s` and `t`, a device `d` (interned as the third string), an
    /// alert `a` naming it, and one evidence item whose cluster key is `s`.
    fn tiny() -> (Dataset, usize) {
        let mut d = Dataset::new();
        d.add_file("f");
        d.intern("s");
        d.intern("t");
        let dev = d.upsert_device(Device {
            mde_device_id: "d".into(),
            ..Device::default()
        });
        let a = d
            .add_alert(Alert {
                id: "a".into(),
                ..Alert::default()
            })
            .unwrap();
        d.link_alert_device(a, dev);
        let mut e = Evidence::new(a, 0, EntityKind::File, Verdict::Malicious);
        e.cluster_key = d.strings.get("s");
        d.push_evidence(e);
        // The evidence item is the last record: 31 bytes before the trailer.
        let record = encode(&d).len() - 4 - 31;
        (d, record)
    }

    fn with(at: usize, value: u8) -> SnapshotError {
        let (d, _) = tiny();
        let mut bytes = encode(&d);
        bytes[at] = value;
        reseal(&mut bytes);
        decode(&bytes).unwrap_err()
    }

    #[test]
    fn wrong_references_and_tags_are_named_with_their_position() {
        let (d, record) = tiny();
        assert_eq!(decode(&encode(&d)).unwrap(), d);
        let r = record as u64;
        let strings = HEADER as usize + 2;
        let cases = [
            (
                record + 27,
                4,
                corrupt(r + 27, "a symbol beyond the strings"),
            ),
            (record, 1, corrupt(r, "an alert beyond the alerts")),
            (record + 2, 17, corrupt(r + 2, "an unknown evidence kind")),
            (record + 3, 5, corrupt(r + 3, "an unknown verdict")),
            (record + 4, 4, corrupt(r + 4, "an unknown verdict source")),
            (
                record + 5,
                15,
                corrupt(r + 5, "an unknown remediation status"),
            ),
            (record + 6, 4, corrupt(r + 6, "unknown evidence flags")),
            // The alert's one device index is the last byte before the evidence.
            (record - 1, 1, corrupt(r - 1, "a device beyond the devices")),
            // Its file is 3 bytes before the device list (file, count, device).
            (record - 3, 1, corrupt(r - 3, "a file beyond the files")),
            (strings + 1, 0xff, corrupt(strings as u64, NOT_UTF8)),
            (
                strings + 3,
                b's',
                corrupt(strings as u64 + 2, "a string that appears twice"),
            ),
            (
                strings,
                200,
                corrupt(strings as u64, "a text longer than the snapshot"),
            ),
        ];
        for (at, value, expected) in cases {
            assert_eq!(with(at, value), expected, "byte {at} set to {value}");
        }
        assert_eq!(
            with(record, 1).to_string(),
            format!("it is corrupted at byte {record}: an alert beyond the alerts")
        );
    }

    #[test]
    fn a_header_whose_counts_cannot_fit_is_refused_before_anything_is_reserved() {
        let (d, _) = tiny();
        let mut bytes = encode(&d);
        // The evidence count.
        bytes[20 + 4 * EVIDENCE..24 + 4 * EVIDENCE].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            Decoder::new(&bytes[..]).err(),
            Some(corrupt(20, "counts that do not fit in its length"))
        );
        let mut bytes = encode(&d);
        bytes[12..20].copy_from_slice(&3u64.to_le_bytes());
        assert_eq!(
            Decoder::new(&bytes[..]).err(),
            Some(corrupt(12, "a length shorter than a snapshot can be"))
        );
        let mut bytes = encode(&d);
        let n = bytes.len() as u64;
        bytes[12..20].copy_from_slice(&(n + 1).to_le_bytes());
        reseal(&mut bytes);
        assert_eq!(
            decode(&bytes).err(),
            Some(corrupt(n - 4, "a length that does not match its content"))
        );
    }

    #[test]
    fn every_changed_byte_behind_a_good_checksum_gives_an_error_or_a_sound_dataset() {
        let bytes = encode(&small_sample());
        for i in 0..bytes.len() - 4 {
            for value in [bytes[i] ^ 1, bytes[i] ^ 0x80, 0, 0xff] {
                let mut changed = bytes.clone();
                changed[i] = value;
                reseal(&mut changed);
                if let Ok(d) = decode(&changed) {
                    check_references(&d);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn changed_bytes_never_panic(
            changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            budget in 1usize..20,
        ) {
            let mut bytes = encode(&sample());
            let body = bytes.len() - 4;
            for (at, value) in changes {
                bytes[at.index(body)] = value;
            }
            reseal(&mut bytes);
            if let Ok(d) = decode_by(&bytes, budget) {
                check_references(&d);
            }
        }

        #[test]
        fn any_bytes_after_a_header_never_panic(
            counts in prop::collection::vec(0u32..6, SECTIONS),
            body in prop::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&FORMAT.to_le_bytes());
            bytes.extend_from_slice(&(HEADER + body.len() as u64 + TRAILER).to_le_bytes());
            for c in counts {
                bytes.extend_from_slice(&c.to_le_bytes());
            }
            bytes.extend_from_slice(&body);
            bytes.extend_from_slice(&[0; 4]);
            reseal(&mut bytes);
            if let Ok(d) = decode(&bytes) {
                check_references(&d);
            }
        }
    }
}
