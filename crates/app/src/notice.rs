//! Messages for the analyst: a load error, a refusal, a storage problem.

/// Whether a notice reports a problem or only informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message for the analyst, with what they can save when something could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Something the analyst can save, as (file name, content): a journal set aside, a store
    /// key that could not be read, the work a failed save did not keep.
    pub rescue: Option<(String, String)>,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            rescue: None,
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            rescue: None,
        }
    }

    /// The same notice, offering `content` for export as `name`; nothing is offered when there
    /// is no content, since an empty file would only suggest something was kept.
    pub fn rescuing(mut self, name: impl Into<String>, content: impl Into<String>) -> Notice {
        let content = content.into();
        if !content.is_empty() {
            self.rescue = Some((name.into(), content));
        }
        self
    }
}
