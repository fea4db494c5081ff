//! Reading a snapshot back, a budget of items at a time, checking everything it reads.

use super::checksum::Adler32;
use super::format::{
    corrupt, SnapshotError, FORMAT, HEADER, MAGIC, MIN_BYTES, NOT_UTF8, SECTIONS, TRAILER,
};
use super::format::{
    ALERTS, DEVICES, EVIDENCE, FILES, INVESTIGATIONS, REPEATED, REPORTED, STRINGS,
};
use super::tags::{self, Tag, Tagged};
use crate::intern::Sym;
use crate::model::validate::{self, Fault};
use crate::model::{Alert, Dataset, Device, Evidence, InvestigationInfo, ReportedAction};
use crate::time::Timestamp;
use crate::vocab::{EntityKind, Verdict, VerdictSource};
use std::io::{ErrorKind, Read};

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
                Ok(text) => match validate::new_string(&data.strings, text) {
                    Ok(()) => drop(data.strings.intern(text)),
                    Err(fault) => src.fail(corrupt(at, fault.what())),
                },
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
                file: src.reference(validate::file, files),
            };
            let mut devices = Vec::new();
            for _ in 0..src.small() {
                if src.error.is_some() {
                    break;
                }
                devices.push(src.reference(validate::device, data.devices.len()));
            }
            data.push_alert_indexed(alert);
            data.alert_devices.push(devices);
        }
        EVIDENCE => {
            let e = src.evidence(data);
            data.evidence.push(e);
        }
        REPEATED => {
            let file = src.reference(validate::file, files);
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
                file: src.reference(validate::file, files),
            };
            data.investigations.push(i);
        }
        REPORTED => {
            let a = ReportedAction {
                id: src.text(),
                action: src.optional(),
                action_label: src.text(),
                entity: src.opt_text(),
                device: src.opt_text(),
                machine_id: src.opt_text(),
                investigation_id: src.opt_text(),
                status: src.optional(),
                reported_status: src.text(),
                source: src.text(),
                decided_by: src.opt_text(),
                comment: src.opt_text(),
                created: src.time(),
                updated: src.time(),
                wait_time: src.opt_text(),
                file: src.reference(validate::file, files),
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

    /// A varint that refers to what is decoded already, checked by one of the dataset's
    /// validation rules (`validate::file`, `validate::alert`, …) against `limit`.
    fn reference(&mut self, rule: fn(u32, usize) -> Result<(), Fault>, limit: usize) -> u32 {
        let at = self.at();
        let n = self.small();
        if let Err(fault) = rule(n, limit) {
            self.fail(corrupt(at, fault.what()));
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

    /// A value written as its byte (`tags`), and its text when it carries one.
    fn tagged<T: Tagged>(&mut self) -> Option<T> {
        let at = self.at();
        let byte = self.byte();
        self.read_tag(byte, at)
    }

    /// An optional value: 0 for none, else its byte plus one.
    fn optional<T: Tagged>(&mut self) -> Option<T> {
        let at = self.at();
        match self.byte() {
            0 => None,
            byte => self.read_tag(byte - 1, at),
        }
    }

    fn read_tag<T: Tagged>(&mut self, byte: u8, at: u64) -> Option<T> {
        match tags::read::<T>(byte) {
            Tag::Known(v) => Some(v),
            Tag::WithText(make) => {
                let text = self.text();
                make(text)
            }
            Tag::Unknown => {
                self.fail(corrupt(at, T::UNKNOWN));
                None
            }
        }
    }

    fn sym(&mut self, strings: usize) -> Option<Sym> {
        let at = self.at();
        let n = self.u32();
        if let Err(fault) = validate::symbol(n, strings) {
            self.fail(corrupt(at, fault.what()));
        }
        Sym::from_number(n)
    }

    fn evidence(&mut self, data: &Dataset) -> Evidence {
        let alert = self.reference(validate::alert, data.alerts.len());
        let index = self.small();
        let kind = self.tagged().unwrap_or(EntityKind::File);
        let verdict = self.tagged().unwrap_or(Verdict::Unknown);
        let verdict_source = self.tagged().unwrap_or(VerdictSource::Export);
        let remediation_status = self.optional();
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
