//! One table of messages, in English and Chinese.

use crate::report::Issue;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// Renders an issue's message.
pub fn render(issue: &Issue, _locale: Locale) -> String {
    issue.code.as_str().to_string()
}
