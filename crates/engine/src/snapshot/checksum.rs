//! The snapshot's checksum.

/// Adler-32: a checksum that costs two additions a byte and finds every single changed byte,
/// for data that lies in browser storage for weeks.
#[derive(Clone, Copy)]
pub(super) struct Adler32 {
    a: u32,
    b: u32,
}

impl Adler32 {
    pub(super) const NEW: Adler32 = Adler32 { a: 1, b: 0 };

    pub(super) fn update(&mut self, bytes: &[u8]) {
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

    pub(super) fn value(self) -> u32 {
        (self.b << 16) | self.a
    }
}
