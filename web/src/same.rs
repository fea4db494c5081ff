//! A shared value compared by identity, for memo dependencies.

use std::rc::Rc;
use std::sync::Arc;

/// A shared value as a memo dependency: equal when it is the same allocation. It holds the
/// pointer rather than its address, which keeps the old value alive while the memo remembers
/// it: an address alone could be reused by the next value, which would then pass for the old
/// one and leave the memo stale.
#[derive(Clone, Debug)]
pub struct Same<P>(pub P);

impl<T: ?Sized> PartialEq for Same<Rc<T>> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> PartialEq for Same<Arc<T>> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> PartialEq for Same<Option<Rc<T>>> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}
